package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed fields and server-side apply with the real kubectl 1.35 and helm 4: the managers the apiserver records,
 * its apply conflicts, forced applies, the upgrade of client-side apply to server-side apply, and helm's applies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerSideApplyIT {
  private Path temp;
  private DaemonProcess daemon;
  private Kubectl kubectl;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent", "--socks-port", "-1")).start();
    kubectl = new Kubectl(daemon.kubeconfig(), Kubectl.binary());
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) {
      assertThat(daemon.stop()).as("clean exit on SIGTERM").isEqualTo(0);
    }
  }

  private Path write(String name, String content) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private String managedFields(String... resource) throws Exception {
    List<String> args = new ArrayList<>(List.of("get", "-o", "yaml", "--show-managed-fields"));
    args.addAll(List.of(resource));
    return kubectl.run(args).assertOk().stdout();
  }

  @Test
  void createRecordsKubectlCreateAsTheManager() throws Exception {
    kubectl.run("create", "configmap", "created", "--from-literal=a=1").assertOk();

    String yaml = managedFields("configmap", "created");

    assertThat(yaml).contains("manager: kubectl-create", "operation: Update", "fieldsType: FieldsV1",
        "f:data:", "f:a: {}", "apiVersion: v1", "time: ");
    assertThat(kubectl.run("get", "configmap", "created", "-o", "yaml").assertOk().stdout())
        .doesNotContain("managedFields");
  }

  @Test
  void theControllersWritesRecordKubeControllerManagerAsTheManager() throws Exception {
    kubectl.run("create", "deployment", "managed", "--image=busybox", "--replicas=0").assertOk();
    kubectl.run("wait", "--for=jsonpath={.status.observedGeneration}=1", "deployment/managed", "--timeout=30s")
        .assertOk();

    assertThat(managedFields("replicasets", "-l", "app=managed")).contains("manager: kube-controller-manager",
        "operation: Update", "f:ownerReferences:", "f:pod-template-hash: {}");
    assertThat(managedFields("deployment", "managed")).contains("manager: kubectl-create",
        "manager: kube-controller-manager", "subresource: status", "f:observedGeneration: {}");
  }

  @Test
  void twoAppliersOfOneFieldConflictUntilOneForces() throws Exception {
    Path alice = write("alice.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  a: red\n"
        + "  b: only-alice\n");
    Path bob = write("bob.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  a: blue\n");
    kubectl.run("apply", "--server-side", "--field-manager=alice", "-f", alice.toString()).assertOk();

    Kubectl.Result conflict = kubectl.run("apply", "--server-side", "--field-manager=bob", "-f", bob.toString());

    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.stderr()).contains("Apply failed with 1 conflict: conflict with \"alice\": .data.a");
    kubectl.run("apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", bob.toString())
        .assertOk();
    assertThat(kubectl.run("get", "configmap", "shared", "-o", "jsonpath={.data.a}").assertOk().stdout())
        .isEqualTo("blue");
    String yaml = managedFields("configmap", "shared");
    assertThat(yaml).contains("manager: alice", "manager: bob", "operation: Apply");
    // alice keeps b only; dropping b from alice's configuration removes it (nobody else owns it)
    Path aliceAgain = write("alice2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n"
        + "  labels:\n    owner: alice\n");
    kubectl.run("apply", "--server-side", "--field-manager=alice", "-f", aliceAgain.toString()).assertOk();
    assertThat(kubectl.run("get", "configmap", "shared", "-o", "jsonpath={.data}").assertOk().stdout())
        .isEqualTo("{\"a\":\"blue\"}");
  }

  @Test
  void serverSideApplyAfterClientSideApplyConflictsForOthersAndMigratesForKubectl() throws Exception {
    String deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: %d\n"
        + "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n"
        + "    spec:\n      containers:\n      - name: nginx\n        image: minicluster-test/busybox:1\n";
    kubectl.run("apply", "-f", write("web1.yaml", String.format(deployment, 1)).toString()).assertOk();
    assertThat(managedFields("deployment", "web")).contains("manager: kubectl-client-side-apply");

    Kubectl.Result conflict = kubectl.run("apply", "--server-side", "--field-manager=other", "-f",
        write("web-other.yaml", String.format(deployment, 3)).toString());
    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.stderr()).contains("conflict with \"kubectl-client-side-apply\" using apps/v1: "
        + ".spec.replicas");

    kubectl.run("apply", "--server-side", "-f", write("web2.yaml", String.format(deployment, 2)).toString())
        .assertOk();

    assertThat(kubectl.run("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").assertOk().stdout())
        .isEqualTo("2");
    String yaml = managedFields("deployment", "web");
    assertThat(yaml).contains("manager: kubectl\n", "operation: Apply");
    assertThat(yaml).doesNotContain("manager: kubectl-client-side-apply");
  }

  @Test
  void helmInstallsAndUpgradesWithItsOwnManager() throws Exception {
    Path chart = temp.resolve("chart");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: small\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "color: red\n");
    Files.writeString(chart.resolve("templates/configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        + "  name: {{ .Release.Name }}-settings\ndata:\n  color: {{ .Values.color }}\n");
    Helm helm = new Helm(daemon.kubeconfig(), temp);

    assertThat(helm.run("install", "small", chart.toString())).contains("STATUS: deployed");
    assertThat(helm.run("upgrade", "small", chart.toString(), "--set", "color=blue"))
        .contains("has been upgraded");

    assertThat(kubectl.run("get", "configmap", "small-settings", "-o", "jsonpath={.data.color}").assertOk()
        .stdout()).isEqualTo("blue");
    assertThat(managedFields("configmap", "small-settings")).contains("manager: helm", "operation: Apply",
        "f:color: {}");
  }
}
