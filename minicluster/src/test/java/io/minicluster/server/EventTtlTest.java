package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.client.Client;
import io.minicluster.client.LocalClient;
import io.minicluster.registry.FieldTrackers;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.registry.Registries;
import io.minicluster.registry.admission.Admissions;
import io.minicluster.registry.subresource.Subresources;
import io.minicluster.registry.validation.MetadataValidation;
import io.minicluster.store.SqliteStore;
import io.minicluster.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events of both groups expire event-ttl after their last write, as with the apiserver's --event-ttl. */
class EventTtlTest {
  private static final Duration TTL = Duration.ofHours(1);

  @TempDir Path dataDir;

  private final MutableClock clock = new MutableClock(Instant.now());
  private SqliteStore store;
  private Client client;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dataDir, SqliteStore.Options.defaults(), clock);
    Registries registries = new Registries(store, clock, Wiring.strategies(), new Admissions(List.of()),
        MetadataValidation.validator(Strategies::forType), Wiring.typeCheck(), Conversions.ALL,
        Wiring.timesToLive(TTL));
    client = new LocalClient(registries, new Subresources(registries, clock), FieldTrackers.NONE, "test");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ObjectNode coreEvent(String name) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"involvedObject\":{\"kind\":\"Pod\","
        + "\"namespace\":\"default\",\"name\":\"web\"},\"reason\":\"Started\",\"message\":\"Started container\","
        + "\"type\":\"Normal\",\"source\":{\"component\":\"kubelet\"}}");
  }

  private List<String> eventNames() {
    return client.list(ResourceTypes.EVENTS, "default", ListOptions.ALL).items().stream()
        .map(event -> Json.text(event.get("metadata"), "name")).toList();
  }

  @Test
  void eventsOlderThanTheTtlAreGoneAndOtherObjectsStay() {
    client.create(ResourceTypes.EVENTS, "default", coreEvent("old"));
    client.create(ResourceTypes.EVENTS_V1, "default", Json.parseObject("{\"metadata\":{\"name\":\"old-v1\"},"
        + "\"eventTime\":\"" + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "\","
        + "\"reportingController\":\"test\",\"reportingInstance\":\"test-1\",\"action\":\"Testing\","
        + "\"reason\":\"Tested\",\"type\":\"Normal\",\"regarding\":{\"kind\":\"Pod\",\"namespace\":\"default\","
        + "\"name\":\"web\"}}"));
    client.create(ResourceTypes.CONFIG_MAPS, "default", Json.parseObject("{\"metadata\":{\"name\":\"settings\"}}"));
    clock.advance(Duration.ofMinutes(30));
    client.create(ResourceTypes.EVENTS, "default", coreEvent("young"));
    assertThat(eventNames()).containsExactlyInAnyOrder("old", "old-v1", "young");

    clock.advance(Duration.ofMinutes(31));
    // the store's timer looks for expired keys every second
    Eventually.assertThat(() -> assertThat(eventNames()).containsExactly("young"));
    assertThat(client.find(ResourceTypes.CONFIG_MAPS, "default", "settings")).isPresent();
  }

  @Test
  void onlyEventsGetTheTtl() {
    assertThat(Wiring.timesToLive(TTL).apply(ResourceTypes.EVENTS)).isEqualTo(TTL);
    assertThat(Wiring.timesToLive(TTL).apply(ResourceTypes.EVENTS_V1)).isEqualTo(TTL);
    assertThat(Wiring.timesToLive(TTL).apply(ResourceTypes.PODS)).isZero();
  }
}
