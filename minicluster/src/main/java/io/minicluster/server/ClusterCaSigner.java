package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.controller.certificates.CertificateSigner;
import io.minicluster.pki.CertificateRequest;
import io.minicluster.pki.Pki;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** The CSR signing controller's signer over the daemon's PKI: the cluster CA signs (read at each request). */
final class ClusterCaSigner implements CertificateSigner {
  private final Supplier<Pki> pki;

  ClusterCaSigner(Supplier<Pki> pki) {
    this.pki = requireNonNull(pki, "pki is null");
  }

  @Override
  public Subject subject(byte[] requestPem) {
    CertificateRequest request = CertificateRequest.parse(requestPem);
    return new Subject(request.commonName(), request.organizations(), request.hasSubjectAlternativeNames());
  }

  @Override
  public String sign(byte[] requestPem, List<String> usages, Duration ttl) {
    return pki.get().signRequest(requestPem, usages, ttl);
  }
}
