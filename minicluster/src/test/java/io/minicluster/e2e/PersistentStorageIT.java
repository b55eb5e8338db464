package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage with the real daemon, Docker and kubectl 1.35: the default class local-path provisions a claim once a pod
 * uses it, the pod writes into the host directory, a later pod reads it back after a daemon restart, and the claim's
 * deletion reclaims the volume (Delete removes directory and PV; Retain keeps them, Released). A pod whose claim is
 * missing waits with FailedMount and starts once the claim exists.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistentStorageIT {
  private static final String IMAGE = "minicluster-test/busybox:1";

  private Path temp;
  private NodeCluster cluster;
  private Kubectl kubectl;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    cluster = NodeCluster.start(temp, "e2e-storage");
    kubectl = cluster.kubectl();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private String get(String... args) throws Exception {
    return kubectl.run(args).assertOk().stdout();
  }

  private void apply(String name, String yaml) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, yaml);
    get("apply", "-f", file.toString());
  }

  private void wait(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("wait", "--timeout=120s"));
    command.addAll(List.of(args));
    kubectl.run(command, null, Map.of(), 150).assertOk();
  }

  private String pod(String name, String claim, boolean readOnly, String script) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: %s
            command: [sh, -c, '%s']
            volumeMounts:
            - name: data
              mountPath: /data
          volumes:
          - name: data
            persistentVolumeClaim:
              claimName: %s
              readOnly: %s
        """.formatted(name, IMAGE, script, claim, readOnly);
  }

  private static String claim(String name, String classLine) {
    return """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: %s
        spec:
          %s
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 64Mi
        """.formatted(name, classLine);
  }

  private Path directory(String claim) throws Exception {
    String uid = get("get", "pvc", claim, "-o", "jsonpath={.metadata.uid}");
    return cluster.daemon().dataDir().resolve("storage").resolve("pvc-" + uid + "_default_" + claim);
  }

  @Test
  @Order(1)
  void theDefaultClassIsLocalPath() throws Exception {
    assertThat(get("get", "sc")).containsPattern(
        "local-path \\(default\\)\\s+rancher.io/local-path\\s+Delete\\s+WaitForFirstConsumer\\s+true");
  }

  @Test
  @Order(2)
  void aClaimIsProvisionedForItsFirstPodAndItsDataOutlivesThePod() throws Exception {
    apply("data.yaml", claim("data", ""));
    assertThat(get("get", "pvc", "data", "-o", "jsonpath={.status.phase}")).isEqualTo("Pending");
    apply("writer.yaml", pod("writer", "data", false, "echo kept > /data/file && sleep 3600"));
    wait("--for=jsonpath={.status.phase}=Bound", "pvc/data");
    wait("--for=condition=Ready", "pod/writer");

    String volume = get("get", "pvc", "data", "-o", "jsonpath={.spec.volumeName}");
    assertThat(volume).isEqualTo("pvc-" + get("get", "pvc", "data", "-o", "jsonpath={.metadata.uid}"));
    assertThat(get("get", "pvc", "data"))
        .containsPattern("data\\s+Bound\\s+" + volume + "\\s+64Mi\\s+RWO\\s+local-path");
    assertThat(get("get", "pv", volume)).containsPattern(
        volume + "\\s+64Mi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+local-path");
    assertThat(get("get", "pvc", "data", "-o",
        "jsonpath={.metadata.annotations.volume\\.kubernetes\\.io/selected-node}"))
        .isEqualTo("e2e-storage");
    Path directory = directory("data");
    HostTools.waitUntil("the pod's file in " + directory, Duration.ofSeconds(30),
        () -> Files.exists(directory.resolve("file")));
    assertThat(directory.resolve("file")).hasContent("kept");

    get("delete", "pod", "writer", "--grace-period=1");
    // the volume and its data outlive the daemon too (kill -9, start on the same data directory)
    cluster.killAndRestart();
    kubectl = cluster.kubectl();
    assertThat(get("get", "pvc", "data", "-o", "jsonpath={.status.phase}")).isEqualTo("Bound");
    apply("reader.yaml", pod("reader", "data", true, "sleep 3600"));
    wait("--for=condition=Ready", "pod/reader");
    assertThat(get("exec", "reader", "--", "cat", "/data/file")).isEqualTo("kept\n");
    Kubectl.Result write = kubectl.run("exec", "reader", "--", "touch", "/data/other");
    assertThat(write.exitCode()).isNotZero();
    assertThat(write.stderr()).contains("Read-only file system");

    get("delete", "pod", "reader", "--grace-period=1");
    get("delete", "pvc", "data");
    wait("--for=delete", "pv/" + volume);
    assertThat(directory).doesNotExist();
  }

  @Test
  @Order(3)
  void aRetainClassKeepsTheReleasedVolumeAndItsData() throws Exception {
    apply("keep-class.yaml", """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: keep
        provisioner: rancher.io/local-path
        reclaimPolicy: Retain
        volumeBindingMode: WaitForFirstConsumer
        """);
    apply("kept.yaml", claim("kept", "storageClassName: keep"));
    apply("keeper.yaml", pod("keeper", "kept", false, "echo retained > /data/file && sleep 3600"));
    wait("--for=condition=Ready", "pod/keeper");
    String volume = get("get", "pvc", "kept", "-o", "jsonpath={.spec.volumeName}");
    Path directory = directory("kept");
    // the class does not allow expansion
    Kubectl.Result grow = kubectl.run("patch", "pvc", "kept", "-p",
        "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"128Mi\"}}}}");
    assertThat(grow.exitCode()).isNotZero();
    assertThat(grow.stderr().trim()).isEqualTo("Error from server (Forbidden): persistentvolumeclaims \"kept\" is "
        + "forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc "
        + "must support resize");

    get("delete", "pod", "keeper", "--grace-period=1");
    get("delete", "pvc", "kept");
    wait("--for=jsonpath={.status.phase}=Released", "pv/" + volume);
    assertThat(get("get", "pv", volume))
        .containsPattern(volume + "\\s+64Mi\\s+RWO\\s+Retain\\s+Released\\s+default/kept");
    assertThat(directory.resolve("file")).hasContent("retained\n");
    get("delete", "pv", volume);
  }

  @Test
  @Order(4)
  void aPodWaitsForItsClaimWithFailedMount() throws Exception {
    apply("waiting.yaml", pod("waiting", "later", false, "sleep 3600"));
    HostTools.waitUntil("a FailedMount event for the missing claim", Duration.ofSeconds(60),
        () -> get("get", "events", "--field-selector", "involvedObject.name=waiting,reason=FailedMount", "-o",
            "jsonpath={.items[*].message}").contains("error processing PVC default/later"));
    assertThat(get("get", "pod", "waiting", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"))
        .isEqualTo("ContainerCreating");

    apply("later.yaml", claim("later", ""));
    wait("--for=condition=Ready", "pod/waiting");
    assertThat(get("get", "pvc", "later", "-o", "jsonpath={.status.phase}")).isEqualTo("Bound");
    // local-path allows expansion: the bound claim grows, its volume with it; it cannot shrink below its capacity
    get("patch", "pvc", "later", "-p", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"128Mi\"}}}}");
    wait("--for=jsonpath={.status.capacity.storage}=128Mi", "pvc/later");
    String volume = get("get", "pvc", "later", "-o", "jsonpath={.spec.volumeName}");
    assertThat(get("get", "pv", volume, "-o", "jsonpath={.spec.capacity.storage}")).isEqualTo("128Mi");
    assertThat(get("get", "events", "--field-selector", "involvedObject.name=later,reason=VolumeResizeSuccessful",
        "-o", "jsonpath={.items[*].message}")).isEqualTo("Resize volume succeeded");
    Kubectl.Result shrink = kubectl.run("patch", "pvc", "later", "-p",
        "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"32Mi\"}}}}");
    assertThat(shrink.exitCode()).isNotZero();
    assertThat(shrink.stderr()).contains("spec.resources.requests.storage: Forbidden: field can not be less than "
        + "status.capacity");
    get("delete", "pod", "waiting", "--grace-period=1");
    get("delete", "pvc", "later");
  }

  @Test
  @Order(5)
  void aStatefulSetsClaimsFollowItsPodsAcrossDeletionAndScaleDown() throws Exception {
    apply("web.yaml", """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          clusterIP: None
          selector:
            app: web
          ports:
          - port: 80
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          replicas: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: c
                image: %s
                command: [sh, -c, 'hostname >> /data/log && sleep 3600']
                volumeMounts:
                - name: data
                  mountPath: /data
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 32Mi
        """.formatted(IMAGE));
    kubectl.run(List.of("rollout", "status", "statefulset/web", "--timeout=180s"), null, Map.of(), 200).assertOk();

    // OrderedReady: each pod was created only once the one before it was Ready
    for (int ordinal = 1; ordinal < 3; ordinal++) {
      String previousReady = get("get", "pod", "web-" + (ordinal - 1), "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}");
      String created = get("get", "pod", "web-" + ordinal, "-o", "jsonpath={.metadata.creationTimestamp}");
      assertThat(created).isGreaterThanOrEqualTo(previousReady);
    }
    for (int ordinal = 0; ordinal < 3; ordinal++) {
      String claim = "data-web-" + ordinal;
      assertThat(get("get", "pvc", claim, "-o", "jsonpath={.status.phase}")).isEqualTo("Bound");
      assertThat(get("get", "pod", "web-" + ordinal, "-o",
          "jsonpath={.spec.volumes[?(@.name==\"data\")].persistentVolumeClaim.claimName}")).isEqualTo(claim);
      assertThat(get("exec", "web-" + ordinal, "--", "cat", "/data/log")).isEqualTo("web-" + ordinal + "\n");
    }

    // a deleted pod comes back with its name, its claim and its data
    String claimUid = get("get", "pvc", "data-web-1", "-o", "jsonpath={.metadata.uid}");
    String podUid = get("get", "pod", "web-1", "-o", "jsonpath={.metadata.uid}");
    get("delete", "pod", "web-1", "--grace-period=1");
    HostTools.waitUntil("web-1 recreated", Duration.ofSeconds(120), () -> {
      Kubectl.Result uid = kubectl.run("get", "pod", "web-1", "-o", "jsonpath={.metadata.uid}");
      return uid.exitCode() == 0 && !uid.stdout().isEmpty() && !uid.stdout().equals(podUid);
    });
    wait("--for=condition=Ready", "pod/web-1");
    assertThat(get("get", "pvc", "data-web-1", "-o", "jsonpath={.metadata.uid}")).isEqualTo(claimUid);
    assertThat(get("exec", "web-1", "--", "cat", "/data/log")).isEqualTo("web-1\nweb-1\n");
    assertThat(directory("data-web-1").resolve("log")).hasContent("web-1\nweb-1");

    // scaling down keeps the claims (whenScaled: Retain, the default)...
    get("scale", "statefulset", "web", "--replicas=2");
    wait("--for=delete", "pod/web-2");
    assertThat(get("get", "pvc", "data-web-2", "-o", "jsonpath={.status.phase}")).isEqualTo("Bound");
    // ... and whenScaled: Delete deletes the claim of the pod scaled away
    get("patch", "statefulset", "web", "--type=merge", "-p",
        "{\"spec\":{\"persistentVolumeClaimRetentionPolicy\":{\"whenScaled\":\"Delete\"}}}");
    get("scale", "statefulset", "web", "--replicas=1");
    wait("--for=delete", "pvc/data-web-1");
    assertThat(get("get", "pvc", "data-web-0", "-o", "jsonpath={.status.phase}")).isEqualTo("Bound");
    assertThat(get("get", "pvc", "data-web-2", "-o", "jsonpath={.status.phase}")).isEqualTo("Bound");

    get("delete", "statefulset", "web");
    get("delete", "service", "web");
  }
}
