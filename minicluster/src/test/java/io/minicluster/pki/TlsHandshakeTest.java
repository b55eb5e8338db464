package io.minicluster.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.apiserver.auth.Authenticator;
import io.minicluster.apiserver.auth.StaticTokenAuthenticator;
import io.minicluster.apiserver.auth.UserInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS over loopback: Netty server with the Pki's SslContext, JDK HttpClient as client. */
class TlsHandshakeTest {
  @TempDir
  static Path temporary;

  static Pki pki;
  static TlsTestServer server;
  static Authenticator authenticator;

  @BeforeAll
  static void start() throws Exception {
    pki = Pki.loadOrCreate(temporary, List.of(), List.of(InetAddress.getByName("10.96.0.1")));
    authenticator = new Authenticator(pki.caCertificate(), List.of(StaticTokenAuthenticator.of(pki.adminToken(),
        new UserInfo(Pki.ADMIN_USER, List.of(Pki.ADMIN_GROUP)))));
    server = new TlsTestServer(pki.serverSslContext(), request -> {
      Optional<UserInfo> user = authenticator.authenticate(request.authorization(), request.peerCertificates());
      return new TlsTestServer.Response(user.isPresent() ? 200 : 401, "text/plain",
          user.map(u -> u.name() + " " + u.groups()).orElse("Unauthorized"));
    });
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<String> get(SSLContext context, String host, String token) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.port()
        + "/api")).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void clientCertificateIsSeenByTheServerAndAuthenticates() throws Exception {
    int before = server.requests.size();
    HttpResponse<String> response = get(pki.jdkClientSslContext(true), "127.0.0.1", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("minicluster-admin [system:masters, system:authenticated]");
    // the client asked for h2 but the server only speaks HTTP/1.1
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    TlsTestServer.Request seen = server.requests.get(before);
    assertThat(seen.peerCertificates()).isNotEmpty();
    assertThat(seen.peerCertificates().get(0)).isEqualTo(pki.adminCertificate());
    assertThat(seen.applicationProtocol()).isEqualTo("http/1.1");
  }

  @Test
  void withoutClientCertificateTheHandshakeSucceedsAndTheTokenAuthenticates() throws Exception {
    int before = server.requests.size();
    HttpResponse<String> anonymous = get(pki.jdkClientSslContext(false), "localhost", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(server.requests.get(before).peerCertificates()).isEmpty();

    HttpResponse<String> withToken = get(pki.jdkClientSslContext(false), "localhost", pki.adminToken());
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(withToken.body()).startsWith("minicluster-admin ");

    HttpResponse<String> wrongToken = get(pki.jdkClientSslContext(false), "localhost", pki.adminToken() + "x");
    assertThat(wrongToken.statusCode()).isEqualTo(401);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRejectedByTls() throws Exception {
    Pki other = Pki.loadOrCreate(temporary.resolve("other"), List.of(), List.of());
    SSLContext foreign = TlsContexts.jdkClient(pki.caCertificate(), other.adminKey(), other.adminCertificate());
    assertThatThrownBy(() -> get(foreign, "127.0.0.1", null)).isInstanceOf(IOException.class);
  }

  @Test
  void aClientThatDoesNotTrustOurCaFailsTheHandshake() throws Exception {
    Pki other = Pki.loadOrCreate(temporary.resolve("untrusting"), List.of(), List.of());
    assertThatThrownBy(() -> get(other.jdkClientSslContext(false), "127.0.0.1", null))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void nettyClientContextBuilds() {
    assertThat(pki.clientSslContext(true).isClient()).isTrue();
    assertThat(pki.serverSslContext().isServer()).isTrue();
  }
}
