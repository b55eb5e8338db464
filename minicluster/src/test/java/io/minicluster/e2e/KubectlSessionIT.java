package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scripted session of the real kubectl 1.35 against a live daemon: the commands a tutorial user runs. Subclasses
 * run the same session with another kubectl ({@link #kubectlBinary}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlSessionIT {
  Path temp;

  DaemonProcess daemon;
  Kubectl kubectl;

  /** The kubectl under test. */
  String kubectlBinary() {
    return Kubectl.binary();
  }

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent", "--socks-port", "-1")).start();
    kubectl = new Kubectl(daemon.kubeconfig(), kubectlBinary());
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) {
      assertThat(daemon.stop()).as("clean exit on SIGTERM").isEqualTo(0);
    }
  }

  static Path example(String name) {
    Path path = Paths.get("..", "examples", name);
    return Files.exists(path) ? path : Paths.get("examples", name);
  }

  Path write(String name, String content) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  @Order(1)
  void discovery() throws Exception {
    assertThat(kubectl.run("version").assertOk().stdout()).contains("Server Version: v1.35");
    String resources = kubectl.run("api-resources").assertOk().stdout();
    assertThat(resources).contains("pods", "po", "deployments", "deploy", "apps/v1", "replicationcontrollers",
        "endpointslices", "leases", "events.k8s.io/v1");
    assertThat(kubectl.run("api-versions").assertOk().stdout()).contains("apps/v1", "v1", "coordination.k8s.io/v1");
    assertThat(kubectl.run("cluster-info").assertOk().stdout()).contains("is running at https://127.0.0.1:");
    assertThat(kubectl.run("get", "ns").assertOk().stdout())
        .contains("default", "Active", "kube-system", "kube-public", "kube-node-lease");
    assertThat(kubectl.run("get", "svc", "kubernetes").assertOk().stdout()).contains("10.96.0.1", "443/TCP");
  }

  @Test
  @Order(1)
  void selfReviews() throws Exception {
    assertThat(kubectl.run("auth", "can-i", "create", "pods").assertOk().stdout()).isEqualTo("yes\n");
    assertThat(kubectl.run("auth", "can-i", "delete", "deployments.apps", "-A").assertOk().stdout()).isEqualTo("yes\n");
    assertThat(kubectl.run("auth", "can-i", "--list").assertOk().stdout()).contains("*.*", "[*]");
    assertThat(kubectl.run("auth", "whoami").assertOk().stdout()).contains("Username", "minicluster-admin",
        "system:authenticated");
    // impersonation carries the uid, and the extra values where kubectl has --as-user-extra (1.33 on)
    assertThat(kubectl.run("auth", "whoami", "--as=jane", "--as-group=devs", "--as-uid=123", "-o",
        "jsonpath={.status.userInfo}").assertOk().stdout()).isEqualTo("{\"groups\":[\"devs\","
            + "\"system:authenticated\"],\"uid\":\"123\",\"username\":\"jane\"}");
    if (kubectl.run("options").assertOk().stdout().contains("--as-user-extra")) {
      assertThat(kubectl.run("auth", "whoami", "--as=jane", "--as-user-extra=scopes=view",
          "--as-user-extra=scopes=edit", "-o", "jsonpath={.status.userInfo.extra}").assertOk().stdout())
          .isEqualTo("{\"scopes\":[\"view\",\"edit\"]}");
    }
  }

  @Test
  @Order(2)
  void createTelescopePodWithDefaultValidation() throws Exception {
    kubectl.run("create", "-f", example("telescope-pod.json").toString()).assertOk();
    String table = kubectl.run("get", "pod").assertOk().stdout();
    assertThat(table.lines().findFirst().orElseThrow()).matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
    assertThat(table).contains("telescope-pod", "0/2", "Pending");
    String wide = kubectl.run("get", "pod", "-o", "wide").assertOk().stdout();
    assertThat(wide).contains("IP", "NODE", "NOMINATED NODE", "READINESS GATES");
    assertThat(kubectl.run("get", "pod", "telescope-pod", "-o", "yaml").assertOk().stdout())
        .contains("name: telescope-pod", "image: mongo", "restartPolicy: Always", "uid:", "creationTimestamp:");
    assertThat(kubectl.run("get", "pod", "telescope-pod", "-o", "jsonpath={.spec.containers[1].env[1].value}")
        .assertOk().stdout()).isEqualTo("mongodb://localhost:27017/app");
    assertThat(kubectl.run("get", "pods", "-o", "name").assertOk().stdout()).contains("pod/telescope-pod");
    assertThat(kubectl.run("get", "pods", "-A").assertOk().stdout()).contains("NAMESPACE", "default", "telescope-pod");
    assertThat(kubectl.run("describe", "pod", "telescope-pod").assertOk().stdout())
        .contains("Name:", "telescope-pod", "Containers:", "mongo:", "telescope:", "27017/TCP");
  }

  @Test
  @Order(3)
  void duplicateNamesUnknownFieldsAndInvalidManifests() throws Exception {
    Kubectl.Result duplicate = kubectl.run("create", "-f", example("telescope-pod.json").toString());
    assertThat(duplicate.exitCode()).isNotZero();
    assertThat(duplicate.stderr()).contains("AlreadyExists", "pods \"telescope-pod\" already exists");

    Path unknown = write("unknown.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: typo
        spec:
          containers:
          - name: c
            image: busybox
            imagePullPolicyy: Always
        """);
    Kubectl.Result strict = kubectl.run("create", "-f", unknown.toString());
    assertThat(strict.exitCode()).isNotZero();
    assertThat(strict.stderr()).contains("strict decoding error", "unknown field \"spec.containers[0].imagePullPolicyy\"");

    Path invalid = write("invalid.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: Bad_Name
        spec:
          containers:
          - name: c
            ports:
            - containerPort: 70000
        """);
    Kubectl.Result rejected = kubectl.run("create", "-f", invalid.toString());
    assertThat(rejected.exitCode()).isNotZero();
    assertThat(rejected.stderr()).contains("is invalid", "spec.containers[0].image: Required value",
        "metadata.name: Invalid value: \"Bad_Name\"", "spec.containers[0].ports[0].containerPort");
  }

  @Test
  @Order(4)
  void labelsAnnotationsSelectorsAndPatches() throws Exception {
    kubectl.run("label", "pod", "telescope-pod", "app=telescope", "tier=web").assertOk();
    kubectl.run("annotate", "pod", "telescope-pod", "owner=tutorial").assertOk();
    assertThat(kubectl.run("get", "pods", "-l", "app=telescope").assertOk().stdout()).contains("telescope-pod");
    assertThat(kubectl.run("get", "pods", "-l", "app in (other)").assertOk().stderr())
        .contains("No resources found");
    assertThat(kubectl.run("get", "pods", "-l", "tier,app notin (x)").assertOk().stdout()).contains("telescope-pod");
    assertThat(kubectl.run("get", "pods", "--show-labels").assertOk().stdout()).contains("app=telescope,tier=web");
    assertThat(kubectl.run("get", "pods", "--field-selector", "metadata.name=telescope-pod").assertOk().stdout())
        .contains("telescope-pod");
    assertThat(kubectl.run("get", "pods", "--field-selector", "status.phase=Running").assertOk().stderr())
        .contains("No resources found");
    kubectl.run("label", "pod", "telescope-pod", "tier-").assertOk();
    assertThat(kubectl.run("get", "pod", "telescope-pod", "--show-labels").assertOk().stdout())
        .doesNotContain("tier=");

    kubectl.run("patch", "pod", "telescope-pod", "-p",
        "{\"spec\":{\"containers\":[{\"name\":\"telescope\",\"image\":\"meteorhacks/telescope:v2\"}]}}").assertOk();
    assertThat(kubectl.run("get", "pod", "telescope-pod", "-o", "jsonpath={.spec.containers[*].image}").assertOk()
        .stdout()).isEqualTo("mongo meteorhacks/telescope:v2");
    kubectl.run("patch", "pod", "telescope-pod", "--type", "merge", "-p",
        "{\"metadata\":{\"labels\":{\"patched\":\"merge\"}}}").assertOk();
    kubectl.run("patch", "pod", "telescope-pod", "--type", "json", "-p",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/json\",\"value\":\"yes\"}]").assertOk();
    assertThat(kubectl.run("get", "pod", "telescope-pod", "--show-labels").assertOk().stdout())
        .contains("patched=merge", "json=yes");
  }

  @Test
  @Order(5)
  void applyDiffAndEdit() throws Exception {
    Path v1 = write("cm-v1.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          color: blue
        """);
    assertThat(kubectl.run("apply", "-f", v1.toString()).assertOk().stdout()).contains("configmap/settings created");
    Path v2 = write("cm-v2.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          color: green
          size: large
        """);
    Kubectl.Result diff = kubectl.run("diff", "-f", v2.toString());
    assertThat(diff.exitCode()).as(diff.stderr()).isEqualTo(1);
    assertThat(diff.stdout()).contains("-  color: blue", "+  color: green", "+  size: large");
    assertThat(kubectl.run("get", "cm", "settings", "-o", "jsonpath={.data.color}").assertOk().stdout())
        .as("diff must not persist").isEqualTo("blue");
    assertThat(kubectl.run("apply", "-f", v2.toString()).assertOk().stdout())
        .contains("configmap/settings configured");
    assertThat(kubectl.run("get", "cm", "settings", "-o", "jsonpath={.data.size}").assertOk().stdout())
        .isEqualTo("large");

    Path editor = write("editor.sh", "#!/bin/sh\nsed -i 's/color: green/color: red/' \"$1\"\n");
    editor.toFile().setExecutable(true);
    kubectl.run(List.of("edit", "cm", "settings"), null, Map.of("KUBE_EDITOR", editor.toString()), 60).assertOk();
    assertThat(kubectl.run("get", "cm", "settings", "-o", "jsonpath={.data.color}").assertOk().stdout())
        .isEqualTo("red");
  }

  @Test
  @Order(5)
  void applyRemovesListEntriesAndExplainDescribesFields() throws Exception {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: envs}
        spec:
          replicas: 1
          selector: {matchLabels: {app: envs}}
          template:
            metadata: {labels: {app: envs}}
            spec:
              containers:
              - name: c
                image: busybox
                env: [%s]
        """;
    kubectl.run("apply", "-f", write("envs-before.yaml",
        deployment.formatted("{name: FOO, value: '1'}, {name: BAR, value: '2'}")).toString()).assertOk();
    kubectl.run("apply", "-f", write("envs-after.yaml", deployment.formatted("{name: BAR, value: '2'}")).toString())
        .assertOk();
    assertThat(kubectl.run("get", "deployment", "envs", "-o", "jsonpath={.spec.template.spec.containers[0].env}")
        .assertOk().stdout()).isEqualTo("[{\"name\":\"BAR\",\"value\":\"2\"}]");
    kubectl.run("delete", "deployment", "envs").assertOk();

    String explained = kubectl.run("explain", "pod.spec").assertOk().stdout();
    assertThat(explained).contains("Specification of the desired behavior of the pod.",
        "PodSpec is a description of a pod.", "List of containers belonging to the pod.");
    assertThat(kubectl.run("explain", "deployment.spec.strategy").assertOk().stdout())
        .contains("The deployment strategy to use to replace existing pods with new ones.");
  }

  @Test
  @Order(6)
  void generatorsSendProtobuf() throws Exception {
    kubectl.run("create", "namespace", "tutorial").assertOk();
    kubectl.run("create", "configmap", "greeting", "-n", "tutorial", "--from-literal=hello=world").assertOk();
    kubectl.run("create", "secret", "generic", "password", "-n", "tutorial", "--from-literal=pw=s3cr3t").assertOk();
    kubectl.run("create", "deployment", "web", "-n", "tutorial", "--image=nginx", "--replicas=2").assertOk();
    assertThat(kubectl.run("get", "cm", "greeting", "-n", "tutorial", "-o", "jsonpath={.data.hello}").assertOk()
        .stdout()).isEqualTo("world");
    assertThat(kubectl.run("get", "secret", "password", "-n", "tutorial", "-o", "jsonpath={.data.pw}").assertOk()
        .stdout()).isEqualTo("czNjcjN0");
    assertThat(kubectl.run("get", "secrets", "-n", "tutorial", "--field-selector", "type=Opaque").assertOk()
        .stdout()).contains("password");
    assertThat(kubectl.run("get", "deploy", "web", "-n", "tutorial", "-o", "jsonpath={.spec.replicas}").assertOk()
        .stdout()).isEqualTo("2");
    kubectl.run("scale", "deployment", "web", "-n", "tutorial", "--replicas=3").assertOk();
    assertThat(kubectl.run("get", "deploy", "web", "-n", "tutorial", "-o", "jsonpath={.spec.replicas}").assertOk()
        .stdout()).isEqualTo("3");
  }

  @Test
  @Order(6)
  void servicesGiveTheirAddressesBack() throws Exception {
    kubectl.run("create", "service", "clusterip", "fixed", "--tcp=80", "--clusterip=10.96.5.5").assertOk();
    Kubectl.Result taken = kubectl.run("create", "service", "clusterip", "twin", "--tcp=80", "--clusterip=10.96.5.5");
    assertThat(taken.exitCode()).isNotZero();
    assertThat(taken.stderr()).contains("Service \"twin\" is invalid: spec.clusterIPs: Invalid value: "
        + "[]string{\"10.96.5.5\"}: failed to allocate IP 10.96.5.5: provided IP is already allocated");
    kubectl.run("delete", "service", "fixed").assertOk();
    kubectl.run("create", "service", "clusterip", "twin", "--tcp=80", "--clusterip=10.96.5.5").assertOk();
    assertThat(kubectl.run("get", "svc", "twin", "-o", "jsonpath={.spec.clusterIP}").assertOk().stdout())
        .isEqualTo("10.96.5.5");

    kubectl.run("create", "service", "nodeport", "exposed", "--tcp=80", "--node-port=30080").assertOk();
    kubectl.run("delete", "service", "exposed").assertOk();
    kubectl.run("create", "service", "nodeport", "exposed", "--tcp=80", "--node-port=30080").assertOk();
    // switching to ClusterIP gives the node port back
    kubectl.run("patch", "service", "exposed", "-p", "{\"spec\":{\"type\":\"ClusterIP\"}}").assertOk();
    assertThat(kubectl.run("get", "svc", "exposed", "-o", "jsonpath={.spec.ports[0].nodePort}").assertOk().stdout())
        .isEmpty();
    kubectl.run("create", "service", "nodeport", "again", "--tcp=80", "--node-port=30080").assertOk();
    kubectl.run("delete", "service", "twin", "exposed", "again").assertOk();
  }

  @Test
  @Order(7)
  void staleUpdateConflicts() throws Exception {
    String yaml = kubectl.run("get", "cm", "settings", "-o", "yaml").assertOk().stdout();
    kubectl.run("label", "cm", "settings", "bump=1").assertOk();
    Path stale = write("stale.yaml", yaml.replace("color: red", "color: stale"));
    Kubectl.Result conflict = kubectl.run("replace", "-f", stale.toString());
    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.stderr()).contains("Operation cannot be fulfilled on configmaps \"settings\"",
        "the object has been modified");
  }

  @Test
  @Order(7)
  void patchesOfTheWrongShapeAreRejectedAndStoreNothing() throws Exception {
    kubectl.run("create", "configmap", "shape", "--from-literal=k=v").assertOk();
    String before = kubectl.run("get", "cm", "shape", "-o", "json").assertOk().stdout();

    Kubectl.Result merge = kubectl.run("patch", "cm", "shape", "--type=merge", "-p", "{\"data\":\"oops\"}");
    assertThat(merge.exitCode()).isNotZero();
    assertThat(merge.stderr()).contains("is invalid: patch: Invalid value:",
        "json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string");
    Kubectl.Result strategic = kubectl.run("patch", "cm", "shape", "-p", "{\"metadata\":{\"labels\":\"x\"}}");
    assertThat(strategic.exitCode()).isNotZero();
    assertThat(strategic.stderr()).contains("map[metadata:map[labels:x]]", "cannot restore map from string");
    Kubectl.Result json = kubectl.run("patch", "cm", "shape", "--type=json", "-p",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":[\"x\"]}]");
    assertThat(json.exitCode()).isNotZero();
    assertThat(json.stderr()).contains(
        "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string");
    Kubectl.Result podLabels = kubectl.run("patch", "pod", "telescope-pod", "--type=merge", "-p",
        "{\"metadata\":{\"labels\":\"x\"}}");
    assertThat(podLabels.exitCode()).isNotZero();
    assertThat(podLabels.stderr()).contains(
        "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string");

    assertThat(kubectl.run("get", "cm", "shape", "-o", "json").assertOk().stdout()).isEqualTo(before);
    assertThat(kubectl.run("get", "pod", "telescope-pod", "-o", "jsonpath={.metadata.labels.app}").assertOk()
        .stdout()).isEqualTo("telescope");
  }

  @Test
  @Order(7)
  void replaceWithResourceVersionZeroIsUnconditional() throws Exception {
    kubectl.run("create", "configmap", "unconditional", "--from-literal=k=v").assertOk();
    String yaml = kubectl.run("get", "cm", "unconditional", "-o", "yaml").assertOk().stdout();
    kubectl.run("label", "cm", "unconditional", "bump=1").assertOk();

    Path zero = write("zero.yaml", yaml.replaceAll("resourceVersion: \"\\d+\"", "resourceVersion: \"0\"")
        .replace("k: v", "k: replaced"));
    kubectl.run("replace", "-f", zero.toString()).assertOk();

    assertThat(kubectl.run("get", "cm", "unconditional", "-o", "jsonpath={.data.k}").assertOk().stdout())
        .isEqualTo("replaced");
  }

  @Test
  @Order(7)
  void aBodyOfAnotherKindIsRefusedWithTheApiserversMessage() throws Exception {
    Kubectl.Result raw = kubectl.run("create", "--raw", "/api/v1/namespaces", "-f",
        example("telescope-pod.json").toString());

    assertThat(raw.exitCode()).isNotZero();
    assertThat(raw.stderr()).contains("Pod in version \"v1\" cannot be handled as a Namespace: "
        + "converting (v1.Pod) to (core.Namespace): unknown conversion");
  }

  @Test
  @Order(8)
  void watchShowsLaterChanges() throws Exception {
    Path out = temp.resolve("watch.out");
    Process watch = kubectl.start(List.of("get", "cm", "-w"), out);
    try {
      waitFor(() -> Files.readString(out).contains("settings"), Duration.ofSeconds(20));
      kubectl.run("create", "configmap", "later", "--from-literal=a=b").assertOk();
      waitFor(() -> Files.readString(out).contains("later"), Duration.ofSeconds(20));
    } finally {
      watch.destroy();
    }
  }

  @Test
  @Order(9)
  void deleteWaitsAndWaitForDelete() throws Exception {
    kubectl.run("create", "configmap", "doomed", "--from-literal=a=b").assertOk();
    Path out = temp.resolve("wait.out");
    Process waiter = kubectl.start(List.of("wait", "--for=delete", "configmap/doomed", "--timeout=60s"), out);
    Thread.sleep(500);
    assertThat(kubectl.run("delete", "configmap", "doomed").assertOk().stdout()).contains("deleted");
    assertThat(waiter.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(waiter.exitValue()).isZero();
    kubectl.run("delete", "-f", example("telescope-pod.json").toString()).assertOk();
    assertThat(kubectl.run("get", "pods").assertOk().stderr()).contains("No resources found");
    kubectl.run("delete", "namespace", "tutorial").assertOk();
  }

  @Test
  @Order(10)
  void helmInstallUpgradeUninstall() throws Exception {
    Helm helm = new Helm(daemon.kubeconfig(), temp);
    helm.run("create", temp.resolve("demo").toString());
    // helm 4: server-side apply patches create the objects, the release is a protobuf Secret
    assertThat(helm.run("install", "demo", temp.resolve("demo").toString())).contains("STATUS: deployed");
    assertThat(kubectl.run("get", "deploy,svc,sa", "-l", "app.kubernetes.io/instance=demo").assertOk().stdout())
        .contains("deployment.apps/demo", "service/demo", "serviceaccount/demo");
    assertThat(helm.run("upgrade", "demo", temp.resolve("demo").toString(), "--set", "replicaCount=2"))
        .contains("has been upgraded");
    assertThat(kubectl.run("get", "deploy", "demo", "-o", "jsonpath={.spec.replicas}").assertOk().stdout())
        .isEqualTo("2");
    assertThat(helm.run("list")).contains("demo", "deployed");
    assertThat(helm.run("uninstall", "demo")).contains("uninstalled");
    assertThat(kubectl.run("get", "secrets", "-l", "owner=helm").assertOk().stderr()).contains("No resources found");
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("condition not met within " + timeout);
  }
}
