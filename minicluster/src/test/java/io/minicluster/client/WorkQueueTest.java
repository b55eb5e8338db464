package io.minicluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WorkQueueTest {
  private final WorkQueue queue = new WorkQueue("test", Duration.ofMillis(40), Duration.ofMillis(160));

  @AfterEach
  void tearDown() {
    queue.close();
  }

  @Test
  void aKeyQueuedSeveralTimesIsProcessedOnce() throws Exception {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assertThat(queue.length()).isEqualTo(2);
    assertThat(queue.take()).isEqualTo("a");
    assertThat(queue.take()).isEqualTo("b");
    assertThat(queue.length()).isZero();
  }

  @Test
  void aKeyAddedWhileInFlightRunsAgainOnlyAfterDone() throws Exception {
    queue.add("a");
    assertThat(queue.take()).isEqualTo("a");
    queue.add("a");
    queue.add("a");
    // not handed to a second worker while the first one still has it
    assertThat(queue.length()).isZero();
    queue.done("a");
    assertThat(queue.length()).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("a");
    queue.done("a");
    assertThat(queue.length()).isZero();
  }

  @Test
  void doneWithoutReAddForgetsTheKey() throws Exception {
    queue.add("a");
    assertThat(queue.take()).isEqualTo("a");
    queue.done("a");
    queue.add("a");
    assertThat(queue.length()).isEqualTo(1);
  }

  @Test
  void failuresComeBackAfterAnExponentialBackOffUntilForgotten() throws Exception {
    // 40 ms, 80 ms, 160 ms, then capped at 160 ms
    long[] minimum = {40, 80, 160, 160};
    for (long expected : minimum) {
      long start = System.nanoTime();
      queue.addRateLimited("a");
      assertThat(queue.length()).isZero();
      assertThat(queue.take()).isEqualTo("a");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(expected));
      queue.done("a");
    }
    assertThat(queue.failures("a")).isEqualTo(4);
    queue.forget("a");
    assertThat(queue.failures("a")).isZero();
    // the back-off starts again from the base delay
    queue.addRateLimited("a");
    assertThat(queue.failures("a")).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("a");
  }

  @Test
  void addAfterDelaysTheKey() throws Exception {
    long start = System.nanoTime();
    queue.addAfter("a", Duration.ofMillis(50));
    queue.add("b");
    assertThat(queue.take()).isEqualTo("b");
    assertThat(queue.take()).isEqualTo("a");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  void closeReleasesWaitingWorkersAndDropsNewKeys() throws Exception {
    String[] taken = {"unset"};
    Thread worker = new Thread(() -> {
      try {
        taken[0] = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.start();
    queue.close();
    worker.join();
    assertThat(taken[0]).isNull();
    queue.add("a");
    assertThat(queue.length()).isZero();
    assertThat(queue.take()).isNull();
  }

  @Test
  void aQueueWithPrioritiesHandsOutTheHighestFirstThenInQueueingOrder() throws Exception {
    Map<String, Integer> priorities = Map.of("low", 1, "high", 100, "high2", 100, "mid", 50);
    WorkQueue prioritized = new WorkQueue("test", Duration.ofMillis(40), Duration.ofMillis(160),
        key -> priorities.getOrDefault(key, 0));
    try {
      prioritized.add("low");
      prioritized.add("none");
      prioritized.add("high");
      prioritized.add("mid");
      prioritized.add("high2");
      prioritized.add("low");

      List<String> taken = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        taken.add(prioritized.take());
      }

      assertThat(taken).containsExactly("high", "high2", "mid", "low", "none");
      // a key re-added while in flight keeps its priority when it is queued again after done
      prioritized.add("mid");
      prioritized.done("mid");
      prioritized.done("high");
      prioritized.add("high");
      assertThat(prioritized.take()).isEqualTo("high");
      assertThat(prioritized.take()).isEqualTo("mid");
    } finally {
      prioritized.close();
    }
  }
}
