package io.minicluster.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRenewerTest {
  @TempDir
  Path temporary;

  private static final List<InetAddress> NO_ADDRESSES = List.of();

  @Test
  void renewsNothingWhileCertificatesAreFarFromExpiry() throws Exception {
    Path data = temporary.resolve("data");
    Pki pki = Pki.loadOrCreate(data, List.of(), NO_ADDRESSES);
    List<Pki> told = new ArrayList<>();
    Clock tomorrow = Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);
    try (CertificateRenewer renewer = new CertificateRenewer(data, List.of(), NO_ADDRESSES, pki, tomorrow,
        told::add)) {
      assertThat(renewer.check()).isFalse();
    }
    assertThat(told).isEmpty();
  }

  @Test
  void renewsServingAndAdminCertificatesWithinThirtyDaysOfExpiryKeepingTheCa() throws Exception {
    Path data = temporary.resolve("data");
    Pki pki = Pki.loadOrCreate(data, List.of(), NO_ADDRESSES);
    Instant serverExpiry = pki.serverCertificate().getNotAfter().toInstant();
    List<Pki> told = new ArrayList<>();
    // the daemon has run for 340 days: 25 days of validity left
    AtomicReference<Instant> now = new AtomicReference<>(serverExpiry.minus(Duration.ofDays(25)));
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    try (CertificateRenewer renewer = new CertificateRenewer(data, List.of(), NO_ADDRESSES, pki, clock, told::add)) {
      assertThat(renewer.check()).isTrue();
      assertThat(told).hasSize(1);
      Pki renewed = told.get(0);
      assertThat(renewed.caCertificate()).isEqualTo(pki.caCertificate());
      assertThat(renewed.serverCertificate()).isNotEqualTo(pki.serverCertificate());
      assertThat(renewed.adminCertificate()).isNotEqualTo(pki.adminCertificate());
      assertThat(renewed.serverCertificate().getNotAfter().toInstant())
          .isAfter(Instant.now().plus(Pki.LEAF_VALIDITY).minus(Duration.ofHours(1)));
      renewed.serverCertificate().verify(pki.caCertificate().getPublicKey());
      // written to disk: a restart loads the renewed certificates
      assertThat(Pem.parseCertificate(Files.readString(data.resolve("pki/server.crt"), StandardCharsets.US_ASCII)))
          .isEqualTo(renewed.serverCertificate());
      // the next daily check (the renewed certificates were issued at the real time): nothing more to do
      now.set(Instant.now().plus(Duration.ofDays(1)));
      assertThat(renewer.check()).isFalse();
      assertThat(told).hasSize(1);
    }
  }

  @Test
  void startUpReplacesExpiredAndSoonExpiringCertificates() throws Exception {
    Path data = temporary.resolve("data");
    Pki pki = Pki.loadOrCreate(data, List.of(), NO_ADDRESSES);
    X509Certificate expired = ShortLivedCertificates.replaceServerCertificate(pki, Duration.ofMinutes(-30));
    X509Certificate expiring = ShortLivedCertificates.replaceAdminCertificate(pki, Duration.ofDays(5));
    assertThat(expired.getNotAfter().toInstant()).isBefore(Instant.now());

    Pki reloaded = Pki.loadOrCreate(data, List.of(), NO_ADDRESSES);

    assertThat(reloaded.caCertificate()).isEqualTo(pki.caCertificate());
    assertThat(reloaded.serverCertificate()).isNotEqualTo(expired);
    assertThat(reloaded.adminCertificate()).isNotEqualTo(expiring);
    assertThat(reloaded.serverCertificate().getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
    assertThat(reloaded.adminCertificate().getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
  }

  @Test
  void theCaLivesTenYears() throws Exception {
    Pki pki = Pki.loadOrCreate(temporary.resolve("data"), List.of(), NO_ADDRESSES);
    assertThat(pki.caCertificate().getNotAfter().toInstant())
        .isAfter(Instant.now().plus(Duration.ofDays(3649)));
  }
}
