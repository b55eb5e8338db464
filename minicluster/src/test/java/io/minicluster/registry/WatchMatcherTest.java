package io.minicluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.meta.WatchSink;
import io.minicluster.json.Json;
import io.minicluster.store.Store.Event.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a watcher of a selector sees of the store's events. */
class WatchMatcherTest {
  private final List<String> events = new ArrayList<>();
  private final WatchMatcher matcher = new WatchMatcher(o -> "web".equals(Meta.labels(o).get("app")),
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

  private static ObjectNode pod(String name, String app) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"" + app + "\"}}}");
  }

  @Test
  void theInitialStateIsSentAsAddedForMatchingObjectsOnly() {
    matcher.initial("a", pod("a", "web"));
    matcher.initial("b", pod("b", "db"));
    matcher.event(Type.MODIFIED, "a", pod("a", "web"));

    assertThat(events).containsExactly("ADDED a", "MODIFIED a");
  }

  @Test
  void objectsEnteringAndLeavingTheSelectorAreAddedAndDeleted() {
    matcher.known("a", pod("a", "web"));
    matcher.known("b", pod("b", "db"));

    matcher.event(Type.MODIFIED, "b", pod("b", "db"));
    matcher.event(Type.MODIFIED, "b", pod("b", "web"));
    matcher.event(Type.MODIFIED, "a", pod("a", "db"));
    matcher.event(Type.MODIFIED, "a", pod("a", "db"));
    matcher.event(Type.DELETED, "b", pod("b", "web"));
    matcher.event(Type.DELETED, "c", pod("c", "db"));
    matcher.event(Type.ADDED, "d", pod("d", "web"));

    assertThat(events).containsExactly("ADDED b", "DELETED a", "DELETED b", "ADDED d");
  }
}
