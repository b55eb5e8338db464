package io.minicluster.dns;

/** How pod names ({@code 1-2-3-4.<ns>.pod.<zone>}) answer: CoreDNS's {@code pods} option. */
public enum PodMode {
  /** No pod records (NXDOMAIN). */
  DISABLED,
  /** Only for an IP that a pod of that namespace has. */
  VERIFIED,
  /**
   * For any IP in an existing namespace: the deprecated records of the specification's 1.0 schema (1.1.0 dropped
   * them), still served by kubeadm's Corefile ({@code pods insecure}) and expected by workloads.
   */
  INSECURE
}
