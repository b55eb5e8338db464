package io.minicluster.dns;

/** How pod names ({@code 1-2-3-4.<ns>.pod.<zone>}) answer: CoreDNS's {@code pods} option. */
public enum PodMode {
  /** No pod records (NXDOMAIN). */
  DISABLED,
  /** Only for an IP that a pod of that namespace has. */
  VERIFIED,
  /** For any IP in an existing namespace, as the specification's deprecated records require (kubeadm's Corefile). */
  INSECURE
}
