package io.minicluster.controller.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NamespaceControllerTest extends ClusterTest {

  @BeforeEach
  void start() {
    cluster.run("namespace", 1,
        queue -> new NamespaceController(client, cluster.informers(), queue, Clock.systemUTC()));
  }

  private static ObjectNode configMap(String name) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"a\":\"b\"}}");
  }

  @Test
  void deletingANamespaceRemovesItsContentThenTheNamespace() {
    cluster.createNamespace("team");
    cluster.createNamespace("other");
    client.create(ResourceTypes.CONFIG_MAPS, "team", configMap("one"));
    client.create(ResourceTypes.CONFIG_MAPS, "team", configMap("two"));
    client.create(ResourceTypes.CONFIG_MAPS, "other", configMap("kept"));
    client.create(ResourceTypes.PODS, "team", TestCluster.pod("unscheduled"));
    ObjectNode bound = TestCluster.pod("running");
    bound.with("spec").put("nodeName", "node-1");
    client.create(ResourceTypes.PODS, "team", bound);

    client.delete(ResourceTypes.NAMESPACES, null, "team", DeleteOptions.DEFAULT);
    assertThat(Json.textOrNull(client.get(ResourceTypes.NAMESPACES, null, "team"), "status", "phase"))
        .isEqualTo("Terminating");

    // everything without a grace period goes at once; the bound pod waits for its node agent
    Eventually.assertThat(() -> {
      assertThat(cluster.list(ResourceTypes.CONFIG_MAPS, "team")).isEmpty();
      assertThat(cluster.list(ResourceTypes.PODS, "team")).extracting(Meta::name).containsExactly("running");
      assertThat(Meta.deleting(client.get(ResourceTypes.PODS, "team", "running"))).isTrue();
    });
    Eventually.assertThat(() -> {
      ObjectNode namespace = client.get(ResourceTypes.NAMESPACES, null, "team");
      assertThat(condition(namespace, "NamespaceContentRemaining", "message"))
          .isEqualTo("Some resources are remaining: pods has 1 resource instances");
      assertThat(condition(namespace, "NamespaceContentRemaining", "status")).isEqualTo("True");
      assertThat(condition(namespace, "NamespaceDeletionContentFailure", "reason")).isEqualTo("ContentDeleted");
    });
    assertThat(client.find(ResourceTypes.NAMESPACES, null, "team")).isPresent();

    // the node agent finishes the pod: now the namespace goes away
    client.delete(ResourceTypes.PODS, "team", "running", DeleteOptions.immediate());
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.NAMESPACES, null, "team")).isEmpty());
    assertThat(cluster.list(ResourceTypes.CONFIG_MAPS, "other")).extracting(Meta::name).containsExactly("kept");
    assertThat(client.get(ResourceTypes.NAMESPACES, null, "other")).isNotNull();
  }

  @Test
  void waitsForObjectsWithFinalizersAndReportsThem() {
    cluster.createNamespace("held");
    ObjectNode held = configMap("held");
    held.with("metadata").putArray("finalizers").add("example.com/hold");
    client.create(ResourceTypes.CONFIG_MAPS, "held", held);

    client.delete(ResourceTypes.NAMESPACES, null, "held", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> {
      ObjectNode namespace = client.get(ResourceTypes.NAMESPACES, null, "held");
      assertThat(condition(namespace, "NamespaceFinalizersRemaining", "message"))
          .isEqualTo("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
      assertThat(Meta.deleting(client.get(ResourceTypes.CONFIG_MAPS, "held", "held"))).isTrue();
    });

    cluster.modify(ResourceTypes.CONFIG_MAPS, "held", "held", configMap -> {
      configMap.with("metadata").remove("finalizers");
      return configMap;
    });
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.NAMESPACES, null, "held")).isEmpty());
  }

  @Test
  void activeNamespacesAreLeftAlone() {
    cluster.createNamespace("live");
    client.create(ResourceTypes.CONFIG_MAPS, "live", configMap("stays"));
    cluster.createNamespace("gone");
    client.delete(ResourceTypes.NAMESPACES, null, "gone", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.NAMESPACES, null, "gone")).isEmpty());
    assertThat(cluster.list(ResourceTypes.CONFIG_MAPS, "live")).hasSize(1);
    Optional<ObjectNode> live = client.find(ResourceTypes.NAMESPACES, null, "live");
    assertThat(live).isPresent();
    assertThat(Json.at(live.get(), "spec", "finalizers").get(0).asText()).isEqualTo("kubernetes");
  }

  private static String condition(ObjectNode namespace, String type, String field) {
    for (var condition : namespace.path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition.path(field).asText();
      }
    }
    return null;
  }
}
