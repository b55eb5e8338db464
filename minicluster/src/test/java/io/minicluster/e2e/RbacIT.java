package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.pki.Pki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBAC with the real daemon and kubectl 1.35: the default service account may not list secrets until a RoleBinding
 * grants it (kubectl auth can-i --as, and the request itself), can-i --list shows the bindings, the 403 is the
 * apiserver's byte for byte, kubectl create role|rolebinding|clusterrole, auth reconcile, the aggregation of cluster
 * roles and escalation prevention.
 */
class RbacIT {
  private static final String SA = "system:serviceaccount:default:default";

  @Test
  void serviceAccountGetsExactlyWhatBindingsGrant(@TempDir Path temp) throws Exception {
    Path dataDir = temp.resolve("data");
    try (DaemonProcess daemon = new DaemonProcess(dataDir, List.of("--no-node-agent", "--no-service-proxy",
        "--socks-port", "-1")).start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());

      Kubectl.Result before = kubectl.run("auth", "can-i", "--as=" + SA, "list", "secrets");
      assertThat(before.exitCode()).isEqualTo(1);
      assertThat(before.stdout().trim()).isEqualTo("no");
      assertThat(kubectl.run("get", "secrets", "--as=" + SA).stderr().trim()).isEqualTo("Error from server "
          + "(Forbidden): secrets is forbidden: User \"system:serviceaccount:default:default\" cannot list resource "
          + "\"secrets\" in API group \"\" in the namespace \"default\"");

      // the bodies as the apiserver writes them, for a namespaced list, a cluster-scoped get and a path
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(Pki.loadOrCreate(dataDir, List.of(), List.of()).jdkClientSslContext(true)).build();
      assertThat(asServiceAccount(http, daemon, "/api/v1/namespaces/default/secrets")).isEqualTo("{\"kind\":"
          + "\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"secrets is "
          + "forbidden: User \\\"system:serviceaccount:default:default\\\" cannot list resource \\\"secrets\\\" in API "
          + "group \\\"\\\" in the namespace \\\"default\\\"\",\"reason\":\"Forbidden\",\"details\":{\"kind\":"
          + "\"secrets\"},\"code\":403}\n");
      assertThat(asServiceAccount(http, daemon, "/apis/storage.k8s.io/v1/storageclasses/local-path")).isEqualTo(
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
          + "\"storageclasses.storage.k8s.io \\\"local-path\\\" is forbidden: User "
          + "\\\"system:serviceaccount:default:default\\\" cannot get resource \\\"storageclasses\\\" in API group "
          + "\\\"storage.k8s.io\\\" at the cluster scope\",\"reason\":\"Forbidden\",\"details\":{\"name\":"
          + "\"local-path\",\"group\":\"storage.k8s.io\",\"kind\":\"storageclasses\"},\"code\":403}\n");
      assertThat(asServiceAccount(http, daemon, "/metrics")).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"forbidden: User "
          + "\\\"system:serviceaccount:default:default\\\" cannot get path \\\"/metrics\\\"\",\"reason\":"
          + "\"Forbidden\",\"details\":{},\"code\":403}\n");
      // discovery is everyone's (system:discovery)
      assertThat(kubectl.run("api-resources", "--api-group=rbac.authorization.k8s.io", "--as=" + SA).assertOk()
          .stdout()).contains("rolebindings").contains("clusterroles");

      assertThat(kubectl.run("create", "role", "secret-reader", "--verb=get", "--verb=list", "--resource=secrets")
          .assertOk().stdout().trim()).isEqualTo("role.rbac.authorization.k8s.io/secret-reader created");
      assertThat(kubectl.run("create", "rolebinding", "read-secrets", "--role=secret-reader",
          "--serviceaccount=default:default").assertOk().stdout().trim())
          .isEqualTo("rolebinding.rbac.authorization.k8s.io/read-secrets created");
      HostTools.waitUntil("can-i says yes after the RoleBinding", Duration.ofSeconds(10),
          () -> kubectl.run("auth", "can-i", "--as=" + SA, "list", "secrets").stdout().trim().equals("yes"));
      kubectl.run("get", "secrets", "--as=" + SA).assertOk();
      assertThat(kubectl.run("auth", "can-i", "--as=" + SA, "delete", "secrets").stdout().trim()).isEqualTo("no");
      assertThat(kubectl.run("auth", "can-i", "--as=" + SA, "list", "secrets", "-n", "kube-system").stdout().trim())
          .isEqualTo("no");

      String list = kubectl.run("auth", "can-i", "--list", "--as=" + SA).assertOk().stdout();
      assertThat(list.lines().findFirst().orElseThrow().split("\\s{2,}"))
          .containsExactly("Resources", "Non-Resource URLs", "Resource Names", "Verbs");
      assertThat(list).containsPattern("(?m)^secrets\\s+\\[\\]\\s+\\[\\]\\s+\\[get list\\]$")
          .containsPattern("(?m)^selfsubjectaccessreviews.authorization.k8s.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]$")
          .containsPattern("(?m)^\\s+\\[/api/\\*\\]\\s+\\[\\]\\s+\\[get\\]$")
          .doesNotContain("configmaps");

      String wide = kubectl.run("get", "rolebinding", "read-secrets", "-o", "wide").assertOk().stdout();
      assertThat(wide.lines().toList().get(0).split("\\s+"))
          .containsExactly("NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS");
      assertThat(wide.lines().toList().get(1)).matches("read-secrets\\s+Role/secret-reader\\s+\\S+\\s+default/default");
    }
  }

  @Test
  void reconcileAggregationAndEscalation(@TempDir Path temp) throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent",
        "--no-service-proxy", "--socks-port", "-1")).start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());
      String manifest = """
          apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata:
            name: config-reader
            namespace: default
          rules:
          - apiGroups: [""]
            resources: ["configmaps"]
            verbs: ["get", "list"]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata:
            name: config-reader
            namespace: default
          roleRef:
            apiGroup: rbac.authorization.k8s.io
            kind: Role
            name: config-reader
          subjects:
          - kind: ServiceAccount
            name: default
            namespace: default
          """;
      Kubectl.Result reconcile = kubectl.runWithInput(manifest, "auth", "reconcile", "-f", "-");
      assertThat(reconcile.assertOk().stdout()).isEqualTo("role.rbac.authorization.k8s.io/config-reader reconciled\n"
          + "rolebinding.rbac.authorization.k8s.io/config-reader reconciled\n");
      assertThat(reconcile.stderr()).contains("missing rules added:").contains("missing subjects added:");
      HostTools.waitUntil("the reconciled binding applies", Duration.ofSeconds(10),
          () -> kubectl.run("auth", "can-i", "--as=" + SA, "list", "configmaps").stdout().trim().equals("yes"));
      assertThat(kubectl.runWithInput(manifest, "auth", "reconcile", "-f", "-").assertOk().stderr())
          .as("nothing left to reconcile").doesNotContain("missing");

      // bootstrap policy: view is aggregated from system:aggregate-to-view
      assertThat(kubectl.run("get", "clusterrole", "view", "-o", "jsonpath={.rules[*].resources}").assertOk().stdout())
          .contains("configmaps");
      kubectl.run("create", "clusterrole", "monitoring",
          "--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true").assertOk();
      kubectl.run("create", "clusterrole", "monitoring-endpoints", "--verb=get", "--resource=endpoints").assertOk();
      kubectl.run("label", "clusterrole", "monitoring-endpoints", "rbac.example.com/aggregate-to-monitoring=true")
          .assertOk();
      HostTools.waitUntil("monitoring aggregates monitoring-endpoints", Duration.ofSeconds(10), () -> kubectl.run(
          "get", "clusterrole", "monitoring", "-o", "jsonpath={.rules[0].resources[0]}").stdout().equals("endpoints"));

      // bob administers default (the admin ClusterRole) but holds no rights on nodes: he may not grant them
      kubectl.run("create", "rolebinding", "bob-admin", "--clusterrole=admin", "--user=bob").assertOk();
      HostTools.waitUntil("bob is admin of default", Duration.ofSeconds(10),
          () -> kubectl.run("auth", "can-i", "--as=bob", "create", "roles").stdout().trim().equals("yes"));
      kubectl.run("create", "role", "pods-reader", "--verb=get", "--resource=pods", "--as=bob").assertOk();
      Kubectl.Result escalation = kubectl.run("create", "role", "nodes-reader", "--verb=get", "--verb=list",
          "--resource=nodes", "--as=bob");
      assertThat(escalation.exitCode()).isNotZero();
      assertThat(escalation.stderr().trim()).isEqualTo("Error from server (Forbidden): roles.rbac.authorization.k8s.io "
          + "\"nodes-reader\" is forbidden: user \"bob\" (groups=[\"system:authenticated\"]) is attempting to grant "
          + "RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"list\"]}");
      Kubectl.Result binding = kubectl.run("create", "rolebinding", "bob-root", "--clusterrole=cluster-admin",
          "--user=bob", "--as=bob");
      assertThat(binding.exitCode()).isNotZero();
      assertThat(binding.stderr()).contains("rolebindings.rbac.authorization.k8s.io \"bob-root\" is forbidden: user "
          + "\"bob\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:");
    }
  }

  private static String asServiceAccount(HttpClient http, DaemonProcess daemon, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
        + daemon.apiPort() + path)).header("Impersonate-User", SA).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    return response.body();
  }
}
