package io.minicluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HandlersTest {
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @Test
  void enqueueingMapsEveryEventAndBothVersionsOfAnUpdate() {
    Informer.Handler<String> handler = Handlers.enqueueing(object -> calls.add("enqueue " + object));

    handler.onAdd("a");
    handler.onUpdate("a", "a2");
    handler.onDelete("a2");

    assertThat(calls).containsExactly("enqueue a", "enqueue a", "enqueue a2", "enqueue a2");
  }

  @Test
  void indexingPutsWhatIsThereAndRemovesWhatIsGone() {
    Informer.Handler<String> handler = Handlers.indexing(object -> calls.add("put " + object),
        object -> calls.add("remove " + object));

    handler.onAdd("a");
    handler.onUpdate("a", "a2");
    handler.onDelete("a2");

    assertThat(calls).containsExactly("put a", "put a2", "remove a2");
  }
}
