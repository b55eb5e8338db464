package io.minicluster.registry.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.testing.InProcessApi;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** core/v1 and events.k8s.io/v1 events are two views of one storage, as in the apiserver. */
class EventViewsTest {
  @TempDir
  Path directory;

  @Test
  void conversionRenamesTheFieldsThatDifferBothWays() {
    ObjectNode v1 = Json.parseObject("{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":"
        + "\"e\"},\"regarding\":{\"kind\":\"Pod\",\"name\":\"p\"},\"note\":\"pulled\",\"reason\":\"Pulled\","
        + "\"type\":\"Normal\",\"reportingController\":\"kubelet\",\"reportingInstance\":\"n1\",\"action\":\"Pull\","
        + "\"deprecatedCount\":2,\"deprecatedSource\":{\"component\":\"kubelet\"}}");
    EventConversion conversion = new EventConversion();
    ObjectNode core = conversion.toStorage(v1);
    assertThat(core.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(core.path("involvedObject").path("name").asText()).isEqualTo("p");
    assertThat(core.path("message").asText()).isEqualTo("pulled");
    assertThat(core.path("reportingComponent").asText()).isEqualTo("kubelet");
    assertThat(core.path("count").asInt()).isEqualTo(2);
    assertThat(core.path("source").path("component").asText()).isEqualTo("kubelet");
    assertThat(core.has("regarding") || core.has("note")).isFalse();
    assertThat(conversion.fromStorage(core)).isEqualTo(v1);
    assertThat(v1.path("apiVersion").asText()).as("input untouched").isEqualTo("events.k8s.io/v1");
  }

  @Test
  void anEventWrittenThroughEitherApiIsReadThroughBoth() {
    try (InProcessApi api = InProcessApi.open(directory, Clock.systemUTC())) {
      Client client = api.client();
      client.create(ResourceTypes.EVENTS, "default", Json.parseObject("{\"metadata\":{\"name\":\"core-made\"},"
          + "\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"web\"},\"reason\":\"Started\","
          + "\"message\":\"Started container web\",\"type\":\"Normal\",\"source\":{\"component\":\"kubelet\"}}"));
      ObjectNode asV1 = client.get(ResourceTypes.EVENTS_V1, "default", "core-made");
      assertThat(asV1.path("apiVersion").asText()).isEqualTo("events.k8s.io/v1");
      assertThat(asV1.path("note").asText()).isEqualTo("Started container web");
      assertThat(asV1.path("regarding").path("name").asText()).isEqualTo("web");
      assertThat(asV1.path("deprecatedSource").path("component").asText()).isEqualTo("kubelet");

      client.create(ResourceTypes.EVENTS_V1, "default", Json.parseObject("{\"metadata\":{\"name\":\"v1-made\"},"
          + "\"eventTime\":\"2026-11-22T01:02:03.000000Z\",\"regarding\":{\"kind\":\"Pod\",\"namespace\":"
          + "\"default\",\"name\":\"web\"},\"reason\":\"Scheduled\",\"note\":\"Successfully assigned\","
          + "\"type\":\"Normal\",\"action\":\"Binding\",\"reportingController\":\"default-scheduler\","
          + "\"reportingInstance\":\"default-scheduler-vm\"}"));
      ObjectNode asCore = client.get(ResourceTypes.EVENTS, "default", "v1-made");
      assertThat(asCore.path("apiVersion").asText()).isEqualTo("v1");
      assertThat(asCore.path("message").asText()).isEqualTo("Successfully assigned");
      assertThat(asCore.path("involvedObject").path("name").asText()).isEqualTo("web");
      assertThat(asCore.path("reportingComponent").asText()).isEqualTo("default-scheduler");

      assertThat(client.list(ResourceTypes.EVENTS, "default", ListOptions.ALL).items()).extracting(
          event -> event.path("metadata").path("name").asText()).contains("core-made", "v1-made");
      assertThat(client.list(ResourceTypes.EVENTS_V1, "default", ListOptions.ALL).items()).extracting(
          event -> event.path("metadata").path("name").asText()).contains("core-made", "v1-made");
      assertThat(asCore.path("metadata").path("resourceVersion").asText())
          .isEqualTo(client.get(ResourceTypes.EVENTS_V1, "default", "v1-made").path("metadata")
              .path("resourceVersion").asText());
    }
  }
}
