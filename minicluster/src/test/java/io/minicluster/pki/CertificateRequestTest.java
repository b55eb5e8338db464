package io.minicluster.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.testing.SigningRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRequestTest {
  @TempDir
  Path dataDir;

  @Test
  void readsTheSubjectOfAVerifiedRequest() {
    KeyPair keys = SigningRequests.keyPair();
    CertificateRequest request = CertificateRequest.parse(
        SigningRequests.pem(keys, "jane", List.of("dev", "ops")).getBytes(StandardCharsets.UTF_8));

    assertThat(request.commonName()).isEqualTo("jane");
    assertThat(request.organizations()).containsExactly("dev", "ops");
    assertThat(request.hasSubjectAlternativeNames()).isFalse();
    assertThat(request.publicKey()).isEqualTo(keys.getPublic());
  }

  @Test
  void refusesOtherBlocksAndBadSignaturesWithGosMessages() {
    assertThatThrownBy(() -> CertificateRequest.parse("not pem".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("PEM block type must be CERTIFICATE REQUEST");
    assertThatThrownBy(() -> CertificateRequest.parse(
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("PEM block type must be CERTIFICATE REQUEST");
    String pem = SigningRequests.pem(SigningRequests.keyPair(), "jane", List.of());
    // the last byte of the DER is the signature's: flip a bit of the base64 character before the padding
    String body = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END"));
    String compact = body.replace("\n", "");
    int at = compact.replace("=", "").length() - 2;
    char flipped = compact.charAt(at) == 'A' ? 'B' : 'A';
    String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + compact.substring(0, at) + flipped
        + compact.substring(at + 1) + "\n-----END CERTIFICATE REQUEST-----\n";
    assertThatThrownBy(() -> CertificateRequest.parse(tampered.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x509: ");
  }

  @Test
  void theCaSignsARequestForItsSubjectWithTheUsagesAndTtl() throws Exception {
    Pki pki = Pki.loadOrCreate(dataDir, List.of(), List.of());
    KeyPair keys = SigningRequests.keyPair();
    byte[] request = SigningRequests.pem(keys, "jane", List.of("dev")).getBytes(StandardCharsets.UTF_8);

    X509Certificate certificate = Pem.parseCertificate(
        pki.signRequest(request, List.of("client auth", "digital signature"), Duration.ofMinutes(30)));

    certificate.verify(pki.caCertificate().getPublicKey());
    assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=jane,O=dev");
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(certificate.getKeyUsage()[0]).isTrue();
    // short-lived: from 5 minutes ago to the ttl from now (a long one loses the backdate)
    Duration validity = Duration.between(certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant());
    assertThat(validity).isEqualTo(Duration.ofMinutes(35));
    assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofMinutes(29)));
    X509Certificate year = Pem.parseCertificate(pki.signRequest(request, List.of("client auth"),
        Duration.ofDays(365)));
    assertThat(Duration.between(year.getNotBefore().toInstant(), year.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(365));
  }
}
