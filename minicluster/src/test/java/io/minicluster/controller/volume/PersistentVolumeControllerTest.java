package io.minicluster.controller.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binding, provisioning and reclaiming through the real API path. */
class PersistentVolumeControllerTest extends ClusterTest {
  private static final String NS = "default";
  private Path storage;

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    storage = directory.resolve("storage");
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "persistentvolume-controller", null,
        Clock.systemUTC()));
    cluster.run("persistentvolume-binder", 1, queue -> new PersistentVolumeController(client, cluster.informers(),
        queue, events, storage, "node-1"));
  }

  private void storageClass(String name, String reclaimPolicy, String bindingMode) {
    client.create(ResourceTypes.STORAGE_CLASSES, null, Json.parseObject("{\"metadata\":{\"name\":\"" + name
        + "\"},\"provisioner\":\"" + LocalPathProvisioner.NAME + "\",\"reclaimPolicy\":\"" + reclaimPolicy
        + "\",\"volumeBindingMode\":\"" + bindingMode + "\"}"));
  }

  private ObjectNode claim(String name, String storageClass, String size, String extraSpec) {
    return client.create(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, Json.parseObject("{\"metadata\":{\"name\":\""
        + name + "\"},\"spec\":{" + extraSpec + "\"storageClassName\":\"" + storageClass
        + "\",\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"" + size + "\"}}}}"));
  }

  private void volume(String name, String storageClass, String size, String modes, String labels) {
    client.create(ResourceTypes.PERSISTENT_VOLUMES, null, Json.parseObject("{\"metadata\":{\"name\":\"" + name
        + "\",\"labels\":{" + labels + "}},\"spec\":{\"storageClassName\":\"" + storageClass
        + "\",\"capacity\":{\"storage\":\"" + size + "\"},\"accessModes\":[" + modes
        + "],\"persistentVolumeReclaimPolicy\":\"Retain\",\"hostPath\":{\"path\":\"/tmp/" + name + "\"}}}"));
  }

  private void podUsing(String name, String claim, String node) {
    ObjectNode pod = TestCluster.pod(name);
    if (node != null) {
      pod.with("spec").put("nodeName", node);
    }
    pod.with("spec").putArray("volumes").addObject().put("name", "data").putObject("persistentVolumeClaim")
        .put("claimName", claim);
    client.create(ResourceTypes.PODS, NS, pod);
  }

  private ObjectNode claim(String name) {
    return client.get(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, name);
  }

  @Test
  void bindsTheSmallestMatchingVolumeOnBothSides() {
    volume("big", "manual", "10Gi", "\"ReadWriteOnce\"", "");
    volume("small", "manual", "2Gi", "\"ReadWriteOnce\",\"ReadOnlyMany\"", "");
    volume("too-small", "manual", "500Mi", "\"ReadWriteOnce\"", "");
    volume("rox-only", "manual", "2Gi", "\"ReadOnlyMany\"", "");
    volume("other-class", "fast", "1Gi", "\"ReadWriteOnce\"", "");
    ObjectNode created = claim("data", "manual", "1Gi", "");

    Eventually.assertThat(() -> {
      ObjectNode claim = claim("data");
      assertThat(claim.at("/spec/volumeName").asText()).isEqualTo("small");
      assertThat(claim.at("/metadata/annotations/pv.kubernetes.io~1bind-completed").asText()).isEqualTo("yes");
      assertThat(claim.at("/metadata/annotations/pv.kubernetes.io~1bound-by-controller").asText()).isEqualTo("yes");
      assertThat(claim.at("/status/phase").asText()).isEqualTo("Bound");
      assertThat(claim.at("/status/capacity/storage").asText()).isEqualTo("2Gi");
      assertThat(claim.at("/status/accessModes").toString()).isEqualTo("[\"ReadWriteOnce\",\"ReadOnlyMany\"]");
      ObjectNode volume = client.get(ResourceTypes.PERSISTENT_VOLUMES, null, "small");
      assertThat(volume.at("/spec/claimRef/uid").asText()).isEqualTo(created.at("/metadata/uid").asText());
      assertThat(volume.at("/metadata/annotations/pv.kubernetes.io~1bound-by-controller").asText())
          .isEqualTo("yes");
      assertThat(volume.at("/status/phase").asText()).isEqualTo("Bound");
      assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, "big").at("/status/phase").asText())
          .isEqualTo("Available");
    });

    // Retain: the volume outlives its claim as Released, still pointing at it
    client.delete(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, "data", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, "small")
        .at("/status/phase").asText()).isEqualTo("Released"));
  }

  @Test
  void selectorAndPreBindingByVolumeName() {
    volume("fast-a", "manual", "1Gi", "\"ReadWriteOnce\"", "\"tier\":\"fast\"");
    volume("slow-a", "manual", "1Gi", "\"ReadWriteOnce\"", "\"tier\":\"slow\"");
    volume("named", "manual", "5Gi", "\"ReadWriteOnce\"", "");
    claim("selecting", "manual", "1Gi", "\"selector\":{\"matchLabels\":{\"tier\":\"slow\"}},");
    claim("naming", "manual", "1Gi", "\"volumeName\":\"named\",");

    Eventually.assertThat(() -> {
      assertThat(claim("selecting").at("/spec/volumeName").asText()).isEqualTo("slow-a");
      assertThat(claim("selecting").at("/status/phase").asText()).isEqualTo("Bound");
      ObjectNode naming = claim("naming");
      assertThat(naming.at("/status/phase").asText()).isEqualTo("Bound");
      assertThat(naming.at("/metadata/annotations/pv.kubernetes.io~1bound-by-controller").isMissingNode()).isTrue();
      assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, "named").at("/spec/claimRef/name").asText())
          .isEqualTo("naming");
    });
  }

  @Test
  void waitForFirstConsumerProvisionsOnceAPodIsScheduledAndDeleteReclaims() {
    storageClass("local-path", "Delete", "WaitForFirstConsumer");
    ObjectNode created = claim("data", "local-path", "1Gi", "");
    String uid = created.at("/metadata/uid").asText();
    podUsing("unscheduled", "data", null);
    Eventually.assertThat(() -> assertThat(cluster.list(ResourceTypes.EVENTS, NS).stream()
        .anyMatch(event -> event.path("reason").asText().equals("WaitForFirstConsumer"))).isTrue());
    assertThat(claim("data").at("/status/phase").asText()).isEqualTo("Pending");
    assertThat(cluster.list(ResourceTypes.PERSISTENT_VOLUMES, null)).isEmpty();

    podUsing("scheduled", "data", "node-1");
    Path directory = storage.resolve("pvc-" + uid + "_default_data");
    Eventually.assertThat(() -> {
      ObjectNode claim = claim("data");
      assertThat(claim.at("/status/phase").asText()).isEqualTo("Bound");
      assertThat(claim.at("/spec/volumeName").asText()).isEqualTo("pvc-" + uid);
      assertThat(claim.at("/metadata/annotations/volume.kubernetes.io~1selected-node").asText())
          .isEqualTo("node-1");
      assertThat(claim.at("/metadata/annotations/volume.kubernetes.io~1storage-provisioner").asText())
          .isEqualTo("rancher.io/local-path");
      ObjectNode volume = client.get(ResourceTypes.PERSISTENT_VOLUMES, null, "pvc-" + uid);
      assertThat(volume.at("/status/phase").asText()).isEqualTo("Bound");
      assertThat(volume.at("/spec/capacity/storage").asText()).isEqualTo("1Gi");
      assertThat(volume.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Delete");
      assertThat(volume.at("/spec/hostPath/path").asText()).isEqualTo(directory.toString());
      assertThat(volume.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText())
          .isEqualTo("node-1");
      assertThat(volume.at("/metadata/annotations/pv.kubernetes.io~1provisioned-by").asText())
          .isEqualTo("rancher.io/local-path");
    });
    assertThat(directory).isDirectory();
    assertThat(claim("data").at("/metadata/finalizers").toString()).isEqualTo("[\"kubernetes.io/pvc-protection\"]");

    // pvc-protection: the claim and its volume stay while a pod uses it
    client.delete(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, "data", DeleteOptions.DEFAULT);
    client.delete(ResourceTypes.PODS, NS, "unscheduled", DeleteOptions.immediate());
    assertThat(claim("data").at("/metadata/deletionTimestamp").isMissingNode()).isFalse();
    assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, "pvc-" + uid).at("/status/phase").asText())
        .isEqualTo("Bound");
    assertThat(directory).isDirectory();
    client.delete(ResourceTypes.PODS, NS, "scheduled", DeleteOptions.immediate());
    Eventually.assertThat(() -> {
      assertThat(client.find(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, "data")).isEmpty();
      assertThat(client.find(ResourceTypes.PERSISTENT_VOLUMES, null, "pvc-" + uid)).isEmpty();
      assertThat(directory).doesNotExist();
    });
  }

  @Test
  void aBoundClaimOfAnExpandableClassGrowsItsProvisionedVolume() {
    client.create(ResourceTypes.STORAGE_CLASSES, null, Json.parseObject("{\"metadata\":{\"name\":\"grow\"},"
        + "\"provisioner\":\"" + LocalPathProvisioner.NAME + "\",\"volumeBindingMode\":\"Immediate\","
        + "\"allowVolumeExpansion\":true}"));
    storageClass("fixed", "Delete", "Immediate");
    String grown = "pvc-" + claim("grown", "grow", "1Gi", "").at("/metadata/uid").asText();
    String fixed = "pvc-" + claim("fixed", "fixed", "1Gi", "").at("/metadata/uid").asText();
    Eventually.assertThat(() -> {
      assertThat(claim("grown").at("/status/capacity/storage").asText()).isEqualTo("1Gi");
      assertThat(claim("fixed").at("/status/capacity/storage").asText()).isEqualTo("1Gi");
    });

    for (String name : new String[] {"grown", "fixed"}) {
      client.modify(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, name, claim -> {
        claim.with("spec").with("resources").with("requests").put("storage", "2Gi");
        return claim;
      });
    }
    Eventually.assertThat(() -> {
      assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, grown).at("/spec/capacity/storage").asText())
          .isEqualTo("2Gi");
      assertThat(claim("grown").at("/status/capacity/storage").asText()).isEqualTo("2Gi");
      assertThat(cluster.list(ResourceTypes.EVENTS, NS).stream().filter(event ->
          event.at("/involvedObject/name").asText().equals("grown")).map(event -> event.path("reason").asText()
          + ": " + event.path("message").asText())).contains("Resizing: External resizer is resizing volume " + grown,
          "VolumeResizeSuccessful: Resize volume succeeded");
    });
    // a class without expansion (admission refuses the request on the API path): the volume keeps its size
    assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, fixed).at("/spec/capacity/storage").asText())
        .isEqualTo("1Gi");
    assertThat(claim("fixed").at("/status/capacity/storage").asText()).isEqualTo("1Gi");
  }

  @Test
  void aDeletedVolumeStaysWhileBoundThenGoesWithItsDirectory() {
    storageClass("local-path", "Delete", "Immediate");
    String volume = "pvc-" + claim("data", "local-path", "1Gi", "").at("/metadata/uid").asText();
    Eventually.assertThat(() -> {
      assertThat(claim("data").at("/status/phase").asText()).isEqualTo("Bound");
      assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, volume).at("/metadata/finalizers").toString())
          .isEqualTo("[\"kubernetes.io/pv-protection\"]");
    });
    Path directory = storage.resolve(volume + "_default_data");

    client.delete(ResourceTypes.PERSISTENT_VOLUMES, null, volume, DeleteOptions.DEFAULT);
    assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, volume).at("/metadata/deletionTimestamp")
        .isMissingNode()).isFalse();
    assertThat(claim("data").at("/status/phase").asText()).as("the claim keeps its volume").isEqualTo("Bound");
    assertThat(directory).isDirectory();

    client.delete(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, "data", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> {
      assertThat(client.find(ResourceTypes.PERSISTENT_VOLUMES, null, volume)).isEmpty();
      assertThat(directory).doesNotExist();
    });
  }

  @Test
  void retainKeepsAProvisionedVolumeAndItsDirectory() throws Exception {
    storageClass("keep", "Retain", "Immediate");
    String uid = claim("data", "keep", "256Mi", "").at("/metadata/uid").asText();
    Eventually.assertThat(() -> assertThat(claim("data").at("/status/phase").asText()).isEqualTo("Bound"));
    Path directory = storage.resolve("pvc-" + uid + "_default_data");
    Files.writeString(directory.resolve("file"), "kept");

    client.delete(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, "data", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> assertThat(client.get(ResourceTypes.PERSISTENT_VOLUMES, null, "pvc-" + uid)
        .at("/status/phase").asText()).isEqualTo("Released"));
    assertThat(directory.resolve("file")).hasContent("kept");
  }

  @Test
  void provisionerRefusesSharedAccessModes() {
    storageClass("now", "Delete", "Immediate");
    client.create(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, Json.parseObject("{\"metadata\":{\"name\":\"shared\"},"
        + "\"spec\":{\"storageClassName\":\"now\",\"accessModes\":[\"ReadWriteMany\"],"
        + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}"));
    Eventually.assertThat(() -> assertThat(cluster.list(ResourceTypes.EVENTS, NS).stream()
        .filter(event -> event.path("reason").asText().equals("ProvisioningFailed"))
        .map(event -> event.path("message").asText()))
        .containsExactly("failed to provision volume with StorageClass \"now\": " + LocalPathProvisioner.ONLY_RWO));
    assertThat(claim("shared").at("/status/phase").asText()).isEqualTo("Pending");
    assertThat(cluster.list(ResourceTypes.PERSISTENT_VOLUMES, null)).isEmpty();
  }
}
