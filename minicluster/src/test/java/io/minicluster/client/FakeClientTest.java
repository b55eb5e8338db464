package io.minicluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.WatchSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake client keeps the promises of the {@link Client} contract that unit tests of consumers rely on. */
class FakeClientTest {
  private final FakeClient client = new FakeClient();

  private static ObjectNode pod(String name, String app) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"" + app + "\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
  }

  private static void assertCode(Throwable thrown, int code) {
    assertThat(thrown).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void aStaleResourceVersionConflictsAndModifyRereads() {
    ObjectNode created = client.create(ResourceTypes.CONFIG_MAPS, "default",
        Json.parseObject("{\"metadata\":{\"name\":\"cm\"},\"data\":{\"k\":\"1\"}}"));
    ObjectNode changed = client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      ((ObjectNode) cm.get("data")).put("k", "2");
      return cm;
    });

    assertThat(Meta.resourceVersion(changed)).isNotEqualTo(Meta.resourceVersion(created));
    assertCode(catchThrowable(
        () -> client.update(ResourceTypes.CONFIG_MAPS, created)), 409);
    assertCode(catchThrowable(
        () -> client.create(ResourceTypes.CONFIG_MAPS, "default", created)), 409);
    assertThat(client.get(ResourceTypes.CONFIG_MAPS, "default", "cm").path("data").path("k").asText())
        .isEqualTo("2");
  }

  @Test
  void listsAndWatchesHonourNamespacesAndFilters() {
    List<String> events = new ArrayList<>();
    client.create(ResourceTypes.PODS, "a", pod("web", "web"));
    client.watch(ResourceTypes.PODS, "a", ListOptions.filtered(p -> Meta.labels(p).get("app").equals("web")),
        new WatchSink() {
          @Override
          public void event(String type, ObjectNode object) {
            events.add(type + " " + Meta.name(object));
          }

          @Override
          public void bookmark(long resourceVersion, boolean initialEventsEnd) {}

          @Override
          public void error(ApiException error) {}

          @Override
          public void closed() {}
        });
    client.create(ResourceTypes.PODS, "a", pod("db", "db"));
    client.create(ResourceTypes.PODS, "b", pod("web", "web"));
    client.create(ResourceTypes.PODS, "a", pod("web2", "web"));
    client.delete(ResourceTypes.PODS, "a", "web", DeleteOptions.DEFAULT);

    assertThat(events).containsExactly("ADDED web", "ADDED web2", "DELETED web");
    assertThat(client.list(ResourceTypes.PODS, "a", ListOptions.ALL).items()).extracting(Meta::name)
        .containsExactly("db", "web2");
    assertThat(client.list(ResourceTypes.PODS, null, ListOptions.ALL).items()).hasSize(3);
    assertThat(client.calls()).contains("create pods b/web", "delete pods a/web");
  }

  @Test
  void bindingFollowsTheRegistryRules() {
    ObjectNode pod = client.create(ResourceTypes.PODS, "default", pod("web", "web"));

    assertCode(catchThrowable(
        () -> client.bind("default", "web", "node1", "another-uid")), 409);
    ObjectNode bound = client.bind("default", "web", "node1", Meta.uid(pod));

    assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThatThrownBy(() -> client.bind("default", "web", "node2", Meta.uid(pod)))
        .isInstanceOf(ApiException.class).hasMessageContaining("is already assigned to node \"node1\"");
  }

  @Test
  void aNamespaceGoesWithItsLastFinalizer() {
    client.create(ResourceTypes.NAMESPACES, null,
        Json.parseObject("{\"metadata\":{\"name\":\"ns\"},\"spec\":{\"finalizers\":[\"kubernetes\"]}}"));
    client.delete(ResourceTypes.NAMESPACES, null, "ns", DeleteOptions.DEFAULT);
    assertThat(Meta.deleting(client.get(ResourceTypes.NAMESPACES, null, "ns"))).isTrue();

    client.finalizeNamespace("ns", finalizers -> List.of());

    assertThat(client.find(ResourceTypes.NAMESPACES, null, "ns")).isEmpty();
  }
}
