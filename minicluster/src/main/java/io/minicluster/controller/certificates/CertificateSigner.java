package io.minicluster.controller.certificates;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/** The cluster CA as the CSR signing controller uses it; the wiring implements it over the daemon's PKI. */
public interface CertificateSigner {
  /** What the signers check of a request's subject. */
  record Subject(String commonName, List<String> organizations, boolean alternativeNames) {
    public Subject {
      requireNonNull(commonName, "commonName is null");
      organizations = List.copyOf(organizations);
    }
  }

  /**
   * The subject of a PEM request.
   *
   * @throws IllegalArgumentException when it does not parse or its signature does not verify
   */
  Subject subject(byte[] requestPem);

  /**
   * A certificate for the request signed by the cluster CA, with the usages named, valid for {@code ttl}.
   *
   * @return the certificate's PEM
   * @throws IllegalArgumentException when the request does not parse or its signature does not verify
   */
  String sign(byte[] requestPem, List<String> usages, Duration ttl);
}
