package io.minicluster.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.e2e.DaemonProcess;
import io.minicluster.e2e.Kubectl;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * An appliance that finds its serving certificate expired and its admin certificate days from expiry renews both at
 * start, from the same CA, rewrites the kubeconfig, and the real kubectl keeps working with it.
 */
class CertificateRenewalIT {
  @TempDir
  Path temporary;

  @Test
  void expiredAndExpiringCertificatesAreRenewedAtStartAndKubectlKeepsWorking() throws Exception {
    Path data = temporary.resolve("data");
    List<String> arguments = List.of("--no-node-agent", "--socks-port", "-1");
    try (DaemonProcess daemon = new DaemonProcess(data, arguments).start()) {
      new Kubectl(daemon.kubeconfig()).run("get", "namespaces").assertOk();
    }
    Pki before = Pki.loadOrCreate(data, List.of(), List.of());
    X509Certificate expiredServer = ShortLivedCertificates.replaceServerCertificate(before, Duration.ofMinutes(-30));
    X509Certificate expiringAdmin = ShortLivedCertificates.replaceAdminCertificate(before, Duration.ofDays(2));
    // a kubeconfig with the nearly expired admin certificate, as the appliance would have written it
    Pki.loadOrCreate(data, List.of(), List.of(), Instant.now().minus(Duration.ofDays(400)))
        .writeAdminKubeconfig(data.resolve("kubeconfig.yaml"), "https://127.0.0.1:1");
    assertThat(clientCertificate(data.resolve("kubeconfig.yaml"))).isEqualTo(expiringAdmin);

    try (DaemonProcess daemon = new DaemonProcess(data, arguments).start()) {
      X509Certificate served = servedCertificate(daemon.apiPort());
      assertThat(served).isNotEqualTo(expiredServer);
      served.verify(before.caCertificate().getPublicKey());
      assertThat(served.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));

      X509Certificate admin = clientCertificate(daemon.kubeconfig());
      assertThat(admin).isNotEqualTo(expiringAdmin);
      admin.verify(before.caCertificate().getPublicKey());
      assertThat(admin.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));

      assertThat(new Kubectl(daemon.kubeconfig()).run("get", "namespace", "kube-system", "-o",
          "jsonpath={.metadata.name}").assertOk().stdout()).isEqualTo("kube-system");
    }
  }

  private static X509Certificate servedCertificate(int port) throws Exception {
    try (SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
        port)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static SSLContext trustAll() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return context;
  }

  @SuppressWarnings("unchecked")
  private static X509Certificate clientCertificate(Path kubeconfig) throws Exception {
    Map<String, Object> root = new Yaml().load(Files.readString(kubeconfig));
    Map<String, Object> user = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) root.get("users")).get(0))
        .get("user");
    String pem = new String(Base64.getDecoder().decode((String) user.get("client-certificate-data")),
        StandardCharsets.US_ASCII);
    return Pem.parseCertificate(pem);
  }
}
