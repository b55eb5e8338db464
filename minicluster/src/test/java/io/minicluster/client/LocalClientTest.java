package io.minicluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApi;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process client's writes record managedFields as the apiserver records a request's: the writer named by its
 * user agent up to the first "/" (a controller's client keeps its component's name), operation Update, the registry's
 * apiVersion and the subresource written.
 */
class LocalClientTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path directory;
  private InProcessApi api;
  private Client controllers;
  private Client kubelet;

  @BeforeEach
  void open() {
    api = InProcessApi.open(directory, CLOCK);
    api.client().create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"default\"}}"));
    controllers = api.client().as("kube-controller-manager");
    kubelet = api.client().as("kubelet");
  }

  @AfterEach
  void close() {
    api.close();
  }

  private static ObjectNode replicaSet() {
    return Json.parseObject("{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":1,"
        + "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}");
  }

  private static ObjectNode pod() {
    return Json.parseObject("{\"metadata\":{\"name\":\"p\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
  }

  /** The managedFields entries as "manager operation apiVersion subresource" lines. */
  private static List<String> owners(ObjectNode object) {
    List<String> owners = new ArrayList<>();
    for (JsonNode entry : object.at("/metadata/managedFields")) {
      owners.add(entry.path("manager").asText() + " " + entry.path("operation").asText() + " "
          + entry.path("apiVersion").asText() + " " + entry.path("subresource").asText("-"));
    }
    return owners;
  }

  private static JsonNode fieldsOf(ObjectNode object, String manager) {
    for (JsonNode entry : object.at("/metadata/managedFields")) {
      if (entry.path("manager").asText().equals(manager)) {
        return entry.path("fieldsV1");
      }
    }
    throw new AssertionError("no entry of " + manager + " in " + object.at("/metadata/managedFields"));
  }

  @Test
  void aControllersCreateIsAnUpdateOfItsComponent() {
    ObjectNode created = controllers.as("replicaset-controller").create(ResourceTypes.REPLICA_SETS, "default",
        replicaSet());

    assertThat(owners(created)).containsExactly("kube-controller-manager Update apps/v1 -");
    JsonNode entry = created.at("/metadata/managedFields/0");
    assertThat(entry.path("time").asText()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(fieldsOf(created, "kube-controller-manager").has("f:spec")).isTrue();
    assertThat(fieldsOf(created, "kube-controller-manager").at("/f:metadata/f:labels").has("f:app")).isTrue();
  }

  @Test
  void aStatusWriteRecordsTheStatusSubresourceAndOnlyStatusFields() {
    api.client().as("kubectl-create").create(ResourceTypes.PODS, "default", pod());

    ObjectNode written = kubelet.modifyStatus(ResourceTypes.PODS, "default", "p", current -> {
      Json.with(current, "status").put("phase", "Running");
      return current;
    });

    assertThat(owners(written)).containsExactly("kubectl-create Update v1 -", "kubelet Update v1 status");
    assertThat(fieldsOf(written, "kubelet").fieldNames()).toIterable().containsExactly("f:status");
    assertThat(fieldsOf(written, "kubectl-create").has("f:status")).isFalse();
  }

  @Test
  void anUpdateTakesTheChangedFieldsFromTheirOwner() {
    api.client().as("kubectl").create(ResourceTypes.REPLICA_SETS, "default", replicaSet());

    ObjectNode updated = controllers.as("replicaset-controller").modify(ResourceTypes.REPLICA_SETS, "default", "web",
        current -> {
          Json.with(Json.with(current, "metadata"), "annotations").put("revision", "1");
          return current;
        });

    assertThat(owners(updated)).containsExactly("kube-controller-manager Update apps/v1 -", "kubectl Update apps/v1 -");
    assertThat(fieldsOf(updated, "kube-controller-manager").at("/f:metadata/f:annotations").has("f:revision"))
        .isTrue();
  }

  @Test
  void aScaleWriteRecordsTheScaleSubresource() {
    api.client().as("kubectl").create(ResourceTypes.REPLICA_SETS, "default", replicaSet());

    controllers.as("horizontal-pod-autoscaler").updateScale(ResourceTypes.REPLICA_SETS, "default", "web", 3);

    ObjectNode scaled = api.client().get(ResourceTypes.REPLICA_SETS, "default", "web");
    assertThat(owners(scaled)).contains("kube-controller-manager Update apps/v1 scale");
    assertThat(fieldsOf(scaled, "kube-controller-manager").at("/f:spec").has("f:replicas")).isTrue();
  }

  @Test
  void aBindingLeavesThePodsManagedFieldsAsTheApiserversBindingDoes() {
    ObjectNode created = api.client().as("kubectl").create(ResourceTypes.PODS, "default", pod());

    ObjectNode bound = api.client().as("kube-scheduler").bind("default", "p", "node-1",
        created.at("/metadata/uid").asText());

    assertThat(bound.at("/spec/nodeName").asText()).isEqualTo("node-1");
    assertThat(owners(bound)).containsExactly("kubectl Update v1 -");
  }
}
