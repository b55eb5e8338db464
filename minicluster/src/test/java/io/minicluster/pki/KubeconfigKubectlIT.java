package io.minicluster.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.apiserver.auth.Authenticator;
import io.minicluster.apiserver.auth.StaticTokenAuthenticator;
import io.minicluster.apiserver.auth.UserInfo;
import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against a loopback HTTPS server using our Pki: proves the kubeconfig (CA data, client certificate
 * and key, token) works with Go's TLS stack and that the server negotiates HTTP/1.1. Fails when no kubectl is found
 * (env KUBECTL, else kubectl135 or kubectl on PATH).
 */
class KubeconfigKubectlIT {
  private static final String VERSION_JSON = "{\"major\":\"1\",\"minor\":\"35\",\"gitVersion\":\"v1.35.0\","
      + "\"gitCommit\":\"0000000000000000000000000000000000000000\",\"gitTreeState\":\"clean\","
      + "\"buildDate\":\"2025-12-17T00:00:00Z\",\"goVersion\":\"go1.25.5\",\"compiler\":\"gc\","
      + "\"platform\":\"linux/amd64\"}";
  private static final String UNAUTHORIZED_JSON = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
      + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";

  @TempDir
  static Path temporary;

  static Pki pki;
  static TlsTestServer server;

  @BeforeAll
  static void start() throws Exception {
    pki = Pki.loadOrCreate(temporary.resolve("data"), List.of(), List.of(InetAddress.getByName("10.96.0.1")));
    Authenticator authenticator = new Authenticator(pki.caCertificate(), List.of(StaticTokenAuthenticator.of(
        pki.adminToken(), new UserInfo(Pki.ADMIN_USER, List.of(Pki.ADMIN_GROUP)))));
    server = new TlsTestServer(pki.serverSslContext(), request -> {
      Optional<UserInfo> user = authenticator.authenticate(request.authorization(), request.peerCertificates());
      if (user.isEmpty()) {
        return new TlsTestServer.Response(401, "application/json", UNAUTHORIZED_JSON);
      }
      String path = request.uri().contains("?") ? request.uri().substring(0, request.uri().indexOf('?'))
          : request.uri();
      if (path.equals("/version")) {
        return new TlsTestServer.Response(200, "application/json", VERSION_JSON);
      }
      return new TlsTestServer.Response(404, "application/json", "{}");
    });
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static Optional<String> kubectl() {
    String configured = System.getenv("KUBECTL");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(configured);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : List.of("kubectl135", "kubectl")) {
      for (String directory : path.split(File.pathSeparator)) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate.toString());
        }
      }
    }
    return Optional.empty();
  }

  record Result(int exitCode, String output) {}

  private static Result run(Path kubeconfig, String... arguments) throws Exception {
    Optional<String> kubectl = kubectl();
    // kubectl is required (CI installs it): a missing client fails the test, it is never skipped
    assertThat(kubectl).as("kubectl: set KUBECTL or put kubectl on the PATH").isPresent();
    List<String> command = new ArrayList<>(List.of(kubectl.get(), "--kubeconfig", kubeconfig.toString(),
        "--request-timeout=10s"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("KUBECONFIG");
    builder.environment().put("HOME", temporary.toString());
    Process process = builder.start();
    boolean finished = process.waitFor(30, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
      throw new AssertionError("kubectl did not finish in 30 s");
    }
    return new Result(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static String url() {
    return "https://127.0.0.1:" + server.port();
  }

  @Test
  void kubectlAuthenticatesWithTheAdminClientCertificate() throws Exception {
    Path kubeconfig = temporary.resolve("admin.kubeconfig");
    pki.writeAdminKubeconfig(kubeconfig, url());
    int before = server.requests.size();

    Result result = run(kubeconfig, "get", "--raw", "/version");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("\"gitVersion\":\"v1.35.0\"");
    TlsTestServer.Request seen = server.requests.get(before);
    assertThat(seen.peerCertificates()).isNotEmpty();
    assertThat(seen.peerCertificates().get(0)).isEqualTo(pki.adminCertificate());
    assertThat(seen.applicationProtocol()).isEqualTo("http/1.1");
  }

  @Test
  void kubectlWorksWithTheHostNameLocalhostToo() throws Exception {
    Path kubeconfig = temporary.resolve("localhost.kubeconfig");
    pki.writeAdminKubeconfig(kubeconfig, "https://localhost:" + server.port());
    Result result = run(kubeconfig, "get", "--raw", "/version");
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void kubectlAuthenticatesWithTheBearerToken() throws Exception {
    Path kubeconfig = temporary.resolve("token.kubeconfig");
    Kubeconfig.write(kubeconfig, url(), pki.caCertificatePem(), pki.adminToken(), null, null);

    Result result = run(kubeconfig, "get", "--raw", "/version");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("\"minor\":\"35\"");
  }

  @Test
  void kubectlIsRejectedWithAWrongToken() throws Exception {
    Path kubeconfig = temporary.resolve("wrong.kubeconfig");
    Kubeconfig.write(kubeconfig, url(), pki.caCertificatePem(), "not-the-token", null, null);

    Result result = run(kubeconfig, "get", "--raw", "/version");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).containsIgnoringCase("unauthorized");
  }
}
