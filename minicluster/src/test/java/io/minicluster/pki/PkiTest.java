package io.minicluster.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {
  @TempDir
  Path temporary;

  private static final String[] FILES = {"ca.crt", "ca.key", "server.crt", "server.key", "admin.crt", "admin.key",
      "admin.token"};

  private Map<String, byte[]> snapshot(Path directory) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    for (String name : FILES) {
      files.put(name, Files.readAllBytes(directory.resolve(name)));
    }
    return files;
  }

  @Test
  void createsAllFilesWithPrivateModes() throws Exception {
    Path data = temporary.resolve("data");
    Pki pki = Pki.loadOrCreate(data, List.of(), List.of(InetAddress.getByName("10.96.0.1")));

    assertThat(pki.directory()).isEqualTo(data.resolve("pki"));
    for (String name : FILES) {
      assertThat(data.resolve("pki").resolve(name)).isRegularFile();
    }
    for (String secret : List.of("ca.key", "server.key", "admin.key", "admin.token")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("pki").resolve(secret))))
          .as(secret).isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("pki"))))
        .isEqualTo("rwx------");
    try (var stream = Files.list(data.resolve("pki"))) {
      assertThat(stream.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(Files.readString(data.resolve("pki/server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void certificatesHaveTheExpectedSubjectsUsagesAndChain() throws Exception {
    Pki pki = Pki.loadOrCreate(temporary, List.of(), List.of());
    X509Certificate ca = pki.caCertificate();
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=minicluster-ca");
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getNotAfter().getTime() - ca.getNotBefore().getTime())
        .isGreaterThan(9L * 365 * 24 * 3600 * 1000);

    X509Certificate server = pki.serverCertificate();
    server.verify(ca.getPublicKey());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

    X509Certificate admin = pki.adminCertificate();
    admin.verify(ca.getPublicKey());
    assertThat(admin.getSubjectX500Principal().getName()).isEqualTo("CN=minicluster-admin,O=system:masters");
    assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(admin.getSubjectAlternativeNames()).isNull();

    assertThat(pki.adminToken()).matches("[A-Za-z0-9_-]{43}");
    assertThat(Files.readString(pki.directory().resolve("admin.token")).trim()).isEqualTo(pki.adminToken());
    assertThat(Pki.keyMatches(pki.adminKey(), admin.getPublicKey())).isTrue();
    assertThat(Pki.keyMatches(pki.serverKey(), admin.getPublicKey())).isFalse();
  }

  @Test
  void servingCertificateNamesEveryRequiredNameAndAddress() throws Exception {
    Pki pki = Pki.loadOrCreate(temporary, List.of("Minicluster.Example"),
        List.of(InetAddress.getByName("10.96.0.1"), InetAddress.getByName("192.168.5.5")));
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    Collection<List<?>> names = pki.serverCertificate().getSubjectAlternativeNames();
    for (List<?> entry : names) {
      if ((Integer) entry.get(0) == 2) {
        dns.add((String) entry.get(1));
      } else if ((Integer) entry.get(0) == 7) {
        ips.add(InetAddress.getByName((String) entry.get(1)));
      }
    }
    assertThat(dns).contains("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local", "minicluster.example");
    String host = Pki.hostName();
    if (host != null) {
      assertThat(dns).contains(host);
    }
    assertThat(ips).contains(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"),
        InetAddress.getByName("10.96.0.1"), InetAddress.getByName("192.168.5.5"));
  }

  @Test
  void reloadReusesTheSameFilesAndCertificates() throws Exception {
    Pki first = Pki.loadOrCreate(temporary, List.of("a.example"), List.of(InetAddress.getByName("10.96.0.1")));
    Map<String, byte[]> before = snapshot(first.directory());
    long modified = Files.getLastModifiedTime(first.directory().resolve("server.crt")).toMillis();

    Pki second = Pki.loadOrCreate(temporary, List.of("a.example"), List.of(InetAddress.getByName("10.96.0.1")));

    Map<String, byte[]> after = snapshot(second.directory());
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String name : FILES) {
      assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
    }
    assertThat(Files.getLastModifiedTime(second.directory().resolve("server.crt")).toMillis()).isEqualTo(modified);
    assertThat(second.caCertificate().getEncoded()).isEqualTo(first.caCertificate().getEncoded());
    assertThat(second.serverCertificate().getEncoded()).isEqualTo(first.serverCertificate().getEncoded());
    assertThat(second.adminCertificate().getEncoded()).isEqualTo(first.adminCertificate().getEncoded());
    assertThat(second.adminToken()).isEqualTo(first.adminToken());
    assertThat(second.adminKeyPem()).isEqualTo(first.adminKeyPem());
  }

  @Test
  void aNewAddressReissuesOnlyTheServingCertificate() throws Exception {
    Pki first = Pki.loadOrCreate(temporary, List.of(), List.of(InetAddress.getByName("10.96.0.1")));
    Map<String, byte[]> before = snapshot(first.directory());

    Pki second = Pki.loadOrCreate(temporary, List.of("new.example"),
        List.of(InetAddress.getByName("10.96.0.1"), InetAddress.getByName("172.17.0.1")));

    Map<String, byte[]> after = snapshot(second.directory());
    for (String unchanged : List.of("ca.crt", "ca.key", "admin.crt", "admin.key", "admin.token")) {
      assertThat(after.get(unchanged)).as(unchanged).isEqualTo(before.get(unchanged));
    }
    assertThat(after.get("server.crt")).isNotEqualTo(before.get("server.crt"));
    second.serverCertificate().verify(first.caCertificate().getPublicKey());
    assertThat(Pki.coversNames(second.serverCertificate(), List.of("new.example"),
        List.of(InetAddress.getByName("172.17.0.1")))).isTrue();
    assertThat(Pki.coversNames(first.serverCertificate(), List.of("new.example"), List.of())).isFalse();
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(second.directory().resolve("server.key")))).isEqualTo("rw-------");
  }

  @Test
  void aDamagedCaRecreatesEverything() throws Exception {
    Pki first = Pki.loadOrCreate(temporary, List.of(), List.of());
    Files.delete(first.directory().resolve("ca.key"));

    Pki second = Pki.loadOrCreate(temporary, List.of(), List.of());

    assertThat(second.caCertificate().getEncoded()).isNotEqualTo(first.caCertificate().getEncoded());
    second.serverCertificate().verify(second.caCertificate().getPublicKey());
    second.adminCertificate().verify(second.caCertificate().getPublicKey());
    assertThat(second.adminToken()).isEqualTo(first.adminToken());
  }

  @Test
  void aServingKeyThatDoesNotMatchIsReplaced() throws Exception {
    Pki first = Pki.loadOrCreate(temporary, List.of(), List.of());
    Files.copy(first.directory().resolve("admin.key"), first.directory().resolve("server.key"),
        StandardCopyOption.REPLACE_EXISTING);

    Pki second = Pki.loadOrCreate(temporary, List.of(), List.of());

    assertThat(Pki.keyMatches(second.serverKey(), second.serverCertificate().getPublicKey())).isTrue();
    assertThat(second.serverCertificate().getEncoded()).isNotEqualTo(first.serverCertificate().getEncoded());
  }

  @Test
  void issuesExtraClientCertificatesFromTheSameCa() throws Exception {
    Pki pki = Pki.loadOrCreate(temporary, List.of(), List.of());
    Pki.IssuedCertificate issued = pki.issueClientCertificate("jane", List.of("dev", "ops"),
        Duration.ofDays(1));
    issued.certificate().verify(pki.caCertificate().getPublicKey());
    assertThat(issued.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=jane,O=ops,O=dev");
  }

  @Test
  void pemRoundTrips() throws Exception {
    Pki pki = Pki.loadOrCreate(temporary, List.of(), List.of());
    assertThat(Pem.parseCertificate(pki.caCertificatePem()).getEncoded())
        .isEqualTo(pki.caCertificate().getEncoded());
    assertThat(Pem.parsePrivateKey(pki.adminKeyPem()).getEncoded()).isEqualTo(pki.adminKey().getEncoded());
  }
}
