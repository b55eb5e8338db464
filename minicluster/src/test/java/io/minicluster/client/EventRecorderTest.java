package io.minicluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.testing.InProcessApi;
import io.minicluster.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder against the real registries and store: what the correlator decides is what gets stored. */
class EventRecorderTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
  @TempDir
  Path directory;
  InProcessApi api;
  EventRecorder recorder;
  ObjectNode pod;

  @BeforeEach
  void setUp() {
    api = InProcessApi.open(directory, clock);
    recorder = new EventRecorder(api.client(), "default-scheduler", null, clock);
    pod = api.client().create(ResourceTypes.PODS, "default", Json.parseObject("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},
         "spec":{"containers":[{"name":"web","image":"nginx"}]}}"""));
  }

  @AfterEach
  void tearDown() {
    recorder.close();
    api.close();
  }

  private List<ObjectNode> events() {
    return api.client().list(ResourceTypes.EVENTS, "default", ListOptions.ALL).items();
  }

  @Test
  void anUnschedulablePodHasOneEventWhoseCountGrows() {
    for (int i = 1; i <= 12; i++) {
      clock.advance(Duration.ofSeconds(5));
      recorder.warning(pod, "FailedScheduling", "0/1 nodes are available: 1 node(s) were unschedulable.");
    }
    Eventually.assertThat(() -> assertThat(events()).singleElement().satisfies(event -> {
      assertThat(event.path("count").asInt()).isEqualTo(12);
      assertThat(event.path("firstTimestamp").asText()).isEqualTo("2026-12-07T06:00:05Z");
      assertThat(event.path("lastTimestamp").asText()).isEqualTo("2026-12-07T06:01:00Z");
      assertThat(event.path("involvedObject").path("uid").asText()).isEqualTo(Meta.uid(pod));
      assertThat(event.path("source").path("component").asText()).isEqualTo("default-scheduler");
    }));
  }

  @Test
  void aFloodAboutOneObjectIsCutAfterTheBurst() {
    for (int i = 1; i <= 100; i++) {
      recorder.normal(pod, "Reason" + i, "event " + i);
    }
    recorder.close();
    Eventually.assertThat(() -> {
      List<ObjectNode> events = events();
      // 25 pass the spam filter; from the tenth similar one on they are one combined event
      assertThat(events).hasSizeLessThanOrEqualTo(25);
      assertThat(events.stream().mapToInt(event -> event.path("count").asInt()).sum()).isEqualTo(25);
    });
  }

  @Test
  void aDeletedEventIsWrittenAnewWithItsCount() {
    recorder.warning(pod, "BackOff", "Back-off restarting failed container");
    ObjectNode first = Eventually.value(() -> events().isEmpty() ? null : events().get(0));
    api.client().delete(ResourceTypes.EVENTS, "default", Meta.name(first), DeleteOptions.DEFAULT);
    recorder.warning(pod, "BackOff", "Back-off restarting failed container");
    Eventually.assertThat(() -> assertThat(events()).singleElement().satisfies(event ->
        assertThat(event.path("count").asInt()).isEqualTo(2)));
  }
  @Test
  void aReadModelsReferenceNamesTheObjectAsItsTreeDoes() {
    recorder.normal(ObjectReference.to("v1", "Pod", Pod.from(pod).metadata()), "Scheduled", "assigned");
    Eventually.assertThat(() -> assertThat(events()).singleElement().satisfies(event -> {
      assertThat(event.path("involvedObject")).isEqualTo(Json.parseObject("{\"kind\":\"Pod\",\"namespace\":"
          + "\"default\",\"name\":\"web\",\"uid\":\"" + Meta.uid(pod) + "\",\"apiVersion\":\"v1\","
          + "\"resourceVersion\":\"" + Meta.resourceVersion(pod) + "\"}"));
      assertThat(event.path("type").asText()).isEqualTo("Normal");
    }));
  }
}
