package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes kubeconfig files that the real kubectl and client libraries read as they are: one cluster, one user and one
 * context, all named {@value #CLUSTER}/{@value #USER}, with the current context set. Credentials are embedded as
 * base64 {@code *-data} fields, so the file stands alone; it is written atomically with mode 0600.
 */
public final class Kubeconfig {
  public static final String CLUSTER = "minicluster";
  public static final String USER = "minicluster-admin";
  public static final String CONTEXT = "minicluster";

  private Kubeconfig() {}

  /**
   * Writes the kubeconfig.
   *
   * @param file where to write (parent directories are created)
   * @param serverUrl e.g. {@code https://127.0.0.1:6443}
   * @param caPem the CA certificate that signed the serving certificate
   * @param token a bearer token, or null
   * @param clientCertificatePem the client certificate, or null
   * @param clientKeyPem the client certificate's key, or null (required when the certificate is given)
   */
  public static void write(Path file, String serverUrl, String caPem, String token, String clientCertificatePem,
      String clientKeyPem) throws IOException {
    requireNonNull(file, "file is null");
    SecureFiles.writeAtomically(file,
        render(serverUrl, caPem, token, clientCertificatePem, clientKeyPem).getBytes(StandardCharsets.UTF_8),
        SecureFiles.OWNER_READ_WRITE);
  }

  /** The kubeconfig YAML text (see {@link #write}). */
  public static String render(String serverUrl, String caPem, String token, String clientCertificatePem,
      String clientKeyPem) {
    requireNonNull(serverUrl, "serverUrl is null");
    requireNonNull(caPem, "caPem is null");
    if ((clientCertificatePem == null) != (clientKeyPem == null)) {
      throw new IllegalArgumentException("client certificate and client key must be given together");
    }
    if (token == null && clientCertificatePem == null) {
      throw new IllegalArgumentException("a token or a client certificate is required");
    }
    if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~'))) {
      throw new IllegalArgumentException("token must be printable ASCII without spaces");
    }

    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("certificate-authority-data", base64(caPem));
    cluster.put("server", serverUrl);

    Map<String, Object> user = new LinkedHashMap<>();
    if (clientCertificatePem != null) {
      user.put("client-certificate-data", base64(clientCertificatePem));
      user.put("client-key-data", base64(clientKeyPem));
    }
    if (token != null) {
      user.put("token", token);
    }

    Map<String, Object> context = new LinkedHashMap<>();
    context.put("cluster", CLUSTER);
    context.put("user", USER);

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", "v1");
    root.put("kind", "Config");
    root.put("clusters", List.of(named(CLUSTER, "cluster", cluster)));
    root.put("users", List.of(named(USER, "user", user)));
    root.put("contexts", List.of(named(CONTEXT, "context", context)));
    root.put("current-context", CONTEXT);
    root.put("preferences", Map.of());

    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    return new Yaml(options).dump(root);
  }

  private static Map<String, Object> named(String name, String key, Map<String, Object> value) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", name);
    entry.put(key, value);
    return entry;
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
