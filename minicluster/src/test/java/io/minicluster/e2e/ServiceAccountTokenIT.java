package io.minicluster.e2e;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service-account tokens on a live daemon with kubectl 1.35 (and 1.32's {@code create token}): TokenRequest tokens
 * authenticate as the account ({@code auth whoami}), a tampered token gets 401, legacy token secrets are filled and
 * authenticate while they exist, and a pod's projected token lets kubectl inside the pod (the static binary, mounted
 * into a busybox pod; in-cluster configuration) reach the API at the kubernetes service through the service proxy
 * (the API server's certificate names the service's address, which the in-cluster configuration dials), with the
 * permissions RBAC gives the account: 403 listing secrets until a RoleBinding grants it. The official Python client
 * in a pod (image minicluster-test/python-kubernetes:1, from build-images.sh) does the same with
 * {@code config.load_incluster_config()}.
 */
class ServiceAccountTokenIT {
  private static final Path KUBECTL_132 = Paths.get(System.getenv().getOrDefault("KUBECTL_132",
      "../.ci/tools/kubectl132"));

  @TempDir
  static Path temp;
  static NodeCluster cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    // pods reach the API through the kubernetes service, which leads to the host's address: listen there too. A
    // service network of its own: on a shared host, other daemons' rules (stale ones too) also claim 10.96.0.1:443
    cluster = NodeCluster.start(temp, "e2e-sat", List.of("--bind-address", "0.0.0.0", "--service-cidr",
        "10.77.0.0/16"));
    kubectl = cluster.kubectl();
    HostTools.waitUntil("the default service account", Duration.ofSeconds(30),
        () -> kubectl.run("get", "serviceaccount", "default").exitCode() == 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** kubectl with a kubeconfig holding only the server, its CA and a bearer token (no client certificate). */
  private static Kubectl withToken(String name, String token) throws Exception {
    String server = kubectl.run("config", "view", "--raw", "--minify", "-o",
        "jsonpath={.clusters[0].cluster.server}").assertOk().stdout();
    String ca = kubectl.run("config", "view", "--raw", "--minify", "-o",
        "jsonpath={.clusters[0].cluster.certificate-authority-data}").assertOk().stdout();
    Path directory = Files.createDirectories(temp.resolve("token-" + name));
    Path kubeconfig = directory.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        users: [{name: u, user: {token: "%s"}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
        current-context: x
        """.formatted(server, ca, token), StandardCharsets.UTF_8);
    return new Kubectl(kubeconfig);
  }

  @Test
  void createTokenWhoamiAndATamperedToken() throws Exception {
    String token = kubectl.run("create", "token", "default").assertOk().stdout().trim();
    assertThat(token.split("\\.")).hasSize(3);

    JsonNode whoami = Json.parseObject(withToken("bound", token).run("auth", "whoami", "-o", "json").assertOk()
        .stdout());
    assertThat(whoami.at("/status/userInfo/username").asText()).isEqualTo("system:serviceaccount:default:default");
    assertThat(whoami.at("/status/userInfo/groups").toString()).isEqualTo(
        "[\"system:serviceaccounts\",\"system:serviceaccounts:default\",\"system:authenticated\"]");
    assertThat(whoami.at("/status/userInfo/extra/authentication.kubernetes.io~1credential-id/0").asText())
        .startsWith("JTI=");

    int middle = token.lastIndexOf('.') + 20; // a character of the signature
    String tampered = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A')
        + token.substring(middle + 1);
    Kubectl.Result refused = withToken("tampered", tampered).run("get", "pods");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("error: You must be logged in to the server (the server has asked for the "
        + "client to provide credentials)");

    Kubectl.Result tooShort = kubectl.run("create", "token", "default", "--duration", "1m");
    assertThat(tooShort.stderr()).contains("may not specify a duration less than 10 minutes");
  }

  @Test
  void kubectl132CreatesTokens() throws Exception {
    assertThat(Files.isExecutable(KUBECTL_132)).as("kubectl 1.32 at %s (or set KUBECTL_132)", KUBECTL_132).isTrue();
    Kubectl old = new Kubectl(cluster.daemon().kubeconfig(), KUBECTL_132.toAbsolutePath().toString());
    String token = old.run("create", "token", "default", "--audience", "https://kubernetes.default.svc.cluster.local",
        "--duration", "20m").assertOk().stdout().trim();

    assertThat(withToken("old", token).run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}")
        .assertOk().stdout()).isEqualTo("system:serviceaccount:default:default");
    assertThat(withToken("vault", kubectl.run("create", "token", "default", "--audience", "vault").assertOk()
        .stdout().trim()).run("get", "pods").stderr()).contains("You must be logged in to the server");
  }

  @Test
  void aLegacyTokenSecretIsFilledAndAuthenticatesWhileItExists() throws Exception {
    kubectl.runWithInput("""
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: builder}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: builder-token
          annotations: {kubernetes.io/service-account.name: builder}
        type: kubernetes.io/service-account-token
        """, "apply", "-f", "-").assertOk();
    HostTools.waitUntil("the token secret is filled", Duration.ofSeconds(30), () -> !kubectl.run("get", "secret",
        "builder-token", "-o", "jsonpath={.data.token}").stdout().isEmpty());
    String token = new String(Base64.getDecoder().decode(kubectl.run("get", "secret", "builder-token",
        "-o", "jsonpath={.data.token}").assertOk().stdout()), StandardCharsets.UTF_8);
    assertThat(kubectl.run("get", "secret", "builder-token", "-o", "jsonpath={.data.namespace}").stdout())
        .isEqualTo("ZGVmYXVsdA==");
    Kubectl builder = withToken("legacy", token);

    assertThat(builder.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").assertOk().stdout())
        .isEqualTo("system:serviceaccount:default:builder");
    kubectl.run("delete", "secret", "builder-token").assertOk();
    assertThat(builder.run("get", "pods").stderr()).contains("You must be logged in to the server");
  }

  @Test
  void aPodReachesTheApiWithItsProjectedToken() throws Exception {
    kubectl.run("create", "namespace", "apps").assertOk();
    HostTools.waitUntil("the apps default service account", Duration.ofSeconds(30),
        () -> kubectl.run("-n", "apps", "get", "serviceaccount", "default").exitCode() == 0);
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: apps}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: minicluster-test/busybox:1
            imagePullPolicy: Never
            command: [sleep, "3600"]
            volumeMounts: [{name: kubectl, mountPath: /kubectl, readOnly: true}]
          volumes:
          - {name: kubectl, hostPath: {path: "%s", type: File}}
        """.formatted(Paths.get(Kubectl.binary()).toRealPath()), "apply", "-f", "-").assertOk();
    HostTools.waitUntil("the client pod runs", Duration.ofSeconds(60), () -> "Running".equals(kubectl.run("-n",
        "apps", "get", "pod", "client", "-o", "jsonpath={.status.phase}").stdout()));

    JsonNode pod = Json.parseObject(kubectl.run("-n", "apps", "get", "pod", "client", "-o", "json").assertOk()
        .stdout());
    List<String> volumes = new ArrayList<>();
    pod.at("/spec/volumes").forEach(volume -> volumes.add(volume.get("name").asText()));
    assertThat(volumes).hasSize(2).element(1).asString().matches("kube-api-access-[a-z0-9]{5}");
    assertThat(exec("cat", "/var/run/secrets/kubernetes.io/serviceaccount/namespace")).isEqualTo("apps");
    String clusterIp = kubectl.run("get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}").assertOk()
        .stdout();
    assertThat(clusterIp).isEqualTo("10.77.0.1");
    assertThat(exec("sh", "-c", "echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"))
        .isEqualTo(clusterIp + ":443\n");
    assertThat(exec("cat", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"))
        .isEqualTo(kubectl.run("-n", "apps", "get", "configmap", "kube-root-ca.crt", "-o",
            "jsonpath={.data.ca\\.crt}").assertOk().stdout());

    // kubectl without a kubeconfig uses the in-cluster configuration: the service's address, the token and ca.crt;
    // RBAC gives the namespace's default account nothing until a binding does
    Kubectl.Result forbidden = kubectl.run("-n", "apps", "exec", "client", "--", "/kubectl", "get", "secrets");
    assertThat(forbidden.exitCode()).isNotZero();
    assertThat(forbidden.stderr()).contains("Error from server (Forbidden): secrets is forbidden: User "
        + "\"system:serviceaccount:apps:default\" cannot list resource \"secrets\" in API group \"\" in the namespace "
        + "\"apps\"");
    kubectl.run("-n", "apps", "create", "role", "reader", "--verb=get,list", "--resource=pods,secrets").assertOk();
    kubectl.run("-n", "apps", "create", "rolebinding", "reader", "--role=reader", "--serviceaccount=apps:default")
        .assertOk();
    HostTools.waitUntil("the binding lets the pod's account list secrets", Duration.ofSeconds(30),
        () -> kubectl.run("-n", "apps", "exec", "client", "--", "/kubectl", "get", "secrets").exitCode() == 0);
    assertThat(exec("/kubectl", "get", "pods", "-o", "name")).isEqualTo("pod/client\n");
    assertThat(exec("/kubectl", "auth", "whoami", "-o",
        "jsonpath={.status.userInfo.username} {.status.userInfo.extra.authentication\\.kubernetes\\.io/pod-name[0]}"))
        .isEqualTo("system:serviceaccount:apps:default client");
  }

  @Test
  void thePythonClientInAPodUsesTheInClusterConfiguration() throws Exception {
    kubectl.run("create", "namespace", "py").assertOk();
    HostTools.waitUntil("the py default service account", Duration.ofSeconds(30),
        () -> kubectl.run("-n", "py", "get", "serviceaccount", "default").exitCode() == 0);
    kubectl.run("-n", "py", "create", "secret", "generic", "py-secret", "--from-literal=k=v").assertOk();
    Path script = temp.resolve("python_in_cluster.py");
    try (InputStream in = requireNonNull(getClass().getResourceAsStream("/e2e/python_in_cluster.py"))) {
      Files.copy(in, script);
    }
    kubectl.run("-n", "py", "create", "configmap", "script", "--from-file=" + script).assertOk();
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: python, namespace: py}
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: minicluster-test/python-kubernetes:1
            imagePullPolicy: Never
            command: [/usr/bin/python3, /script/python_in_cluster.py, "60"]
            volumeMounts: [{name: script, mountPath: /script, readOnly: true}]
          volumes:
          - {name: script, configMap: {name: script}}
        """, "apply", "-f", "-").assertOk();

    // load_incluster_config(): the service's address, the projected token and ca.crt; the Python client checks the
    // certificate against the IP address it dials. The namespace's default account may not list secrets yet
    String forbidden = "403 Forbidden secrets is forbidden: User \"system:serviceaccount:py:default\" cannot list "
        + "resource \"secrets\" in API group \"\" in the namespace \"py\"";
    HostTools.waitUntil("the Python client is refused", Duration.ofSeconds(60),
        () -> kubectl.run("-n", "py", "logs", "python").stdout().contains(forbidden));
    kubectl.run("-n", "py", "create", "role", "secret-reader", "--verb=list", "--resource=secrets").assertOk();
    kubectl.run("-n", "py", "create", "rolebinding", "secret-reader", "--role=secret-reader",
        "--serviceaccount=py:default").assertOk();
    HostTools.waitUntil("the Python client's pod succeeds", Duration.ofSeconds(60), () -> {
      String phase = kubectl.run("-n", "py", "get", "pod", "python", "-o", "jsonpath={.status.phase}").stdout();
      assertThat(phase).as("phase (log: %s)", kubectl.run("-n", "py", "logs", "python").stdout())
          .isNotEqualTo("Failed");
      return phase.equals("Succeeded");
    });
    assertThat(kubectl.run("-n", "py", "logs", "python").assertOk().stdout()).isEqualTo("""
        server https://10.77.0.1:443
        %s
        listed ['py-secret']
        """.formatted(forbidden));
  }

  private static String exec(String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("-n", "apps", "exec", "client", "--"));
    args.addAll(List.of(command));
    return kubectl.run(args).assertOk().stdout();
  }
}
