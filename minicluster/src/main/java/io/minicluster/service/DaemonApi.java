package io.minicluster.service;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minicluster.pki.Pem;
import io.minicluster.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The daemon's API as the admin, through the kubeconfig it writes ({@code DATA_DIR/kubeconfig.yaml}): server address,
 * CA and client certificate (or token) of its current context. For the CLI's status and readiness checks.
 */
public final class DaemonApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI server;
  private final HttpClient client;
  private final String token;

  private DaemonApi(URI server, HttpClient client, String token) {
    this.server = server;
    this.client = client;
    this.token = token;
  }

  /** A client for the kubeconfig in {@code file}; IOException names the problem (missing, unreadable, malformed). */
  @SuppressWarnings("unchecked")
  public static DaemonApi fromKubeconfig(Path file) throws IOException {
    requireNonNull(file, "file is null");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("no kubeconfig at " + file + " (the daemon writes it when it starts)");
    } catch (AccessDeniedException e) {
      throw new IOException("permission denied reading " + file + ": run as root (sudo) or pass --kubeconfig");
    }
    try {
      Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      String contextName = (String) root.get("current-context");
      Map<String, Object> context = named((List<Object>) root.get("contexts"), contextName, "context");
      Map<String, Object> cluster = named((List<Object>) root.get("clusters"), (String) context.get("cluster"),
          "cluster");
      Map<String, Object> user = named((List<Object>) root.get("users"), (String) context.get("user"), "user");
      URI server = URI.create((String) cluster.get("server"));
      X509Certificate ca = Pem.parseCertificate(decode(cluster.get("certificate-authority-data")));
      X509Certificate certificate = null;
      PrivateKey key = null;
      if (user.get("client-certificate-data") != null) {
        certificate = Pem.parseCertificate(decode(user.get("client-certificate-data")));
        key = Pem.parsePrivateKey(decode(user.get("client-key-data")));
      }
      HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
          .sslContext(TlsContexts.jdkClient(ca, key, certificate)).version(HttpClient.Version.HTTP_1_1).build();
      return new DaemonApi(server, client, (String) user.get("token"));
    } catch (RuntimeException e) {
      throw new IOException("cannot use the kubeconfig " + file + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> named(List<Object> entries, String name, String field) {
    if (entries == null) {
      throw new IllegalArgumentException("no " + field + "s");
    }
    for (Object entry : entries) {
      Map<String, Object> map = (Map<String, Object>) entry;
      if (name == null || name.equals(map.get("name"))) {
        return (Map<String, Object>) map.get(field);
      }
    }
    throw new IllegalArgumentException("no " + field + " named " + name);
  }

  private static String decode(Object base64) {
    return new String(Base64.getDecoder().decode(String.valueOf(base64)), StandardCharsets.US_ASCII);
  }

  /** The API server's address, e.g. {@code https://127.0.0.1:6443}. */
  public URI server() {
    return server;
  }

  /** Whether {@code /readyz} answers 200. */
  public boolean ready() {
    try {
      return get("/readyz").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A GET of {@code path}; IOException when the API does not answer. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON body of a GET that must answer 200. */
  public JsonNode json(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
