package io.minicluster.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LivenessTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Heartbeat writer = new Heartbeat("store-writer", nanos::get);
  private final Liveness liveness = new Liveness(Duration.ofSeconds(60));

  LivenessTest() {
    liveness.register(writer);
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Test
  void anIdleLoopIsHealthyHoweverLongItWaits() {
    advance(Duration.ofHours(3));

    assertThat(liveness.check()).containsExactly(new Liveness.Result("store-writer", null));
  }

  @Test
  void aLoopStuckOnOneItemLongerThanTheThresholdFails() {
    writer.begin();
    advance(Duration.ofSeconds(60));
    assertThat(liveness.check("store-writer")).hasValueSatisfying(result -> assertThat(result.ok()).isTrue());

    advance(Duration.ofSeconds(15));

    Liveness.Result result = liveness.check("store-writer").orElseThrow();
    assertThat(result.ok()).isFalse();
    assertThat(result.failure()).isEqualTo("no progress for 75s (thread " + Thread.currentThread().getName()
        + " busy with one work item; the limit is 60s)");
  }

  @Test
  void workQueuedLongerThanTheThresholdAndNotTakenFails() {
    AtomicLong queuedAt = new AtomicLong(-1);
    Heartbeat queueWatching = new Heartbeat("queue-loop", nanos::get).watchingQueue(
        () -> queuedAt.get() < 0 ? OptionalLong.empty() : OptionalLong.of(queuedAt.get()));
    liveness.register(queueWatching);
    advance(Duration.ofHours(1));
    assertThat(liveness.check("queue-loop").orElseThrow().ok()).as("nothing queued").isTrue();

    queuedAt.set(nanos.get());
    advance(Duration.ofSeconds(61));

    assertThat(liveness.check("queue-loop").orElseThrow().failure())
        .isEqualTo("no progress for 61s (work queued that long has not been taken; the limit is 60s)");
    queuedAt.set(-1);
    assertThat(liveness.check("queue-loop").orElseThrow().ok()).as("taken").isTrue();
  }

  @Test
  void progressMakesItHealthyAgain() {
    writer.begin();
    advance(Duration.ofMinutes(5));
    assertThat(liveness.check().get(0).ok()).isFalse();

    writer.end();
    assertThat(liveness.check().get(0).ok()).isTrue();

    // busy again: counted from the new item, not from the old one
    writer.begin();
    advance(Duration.ofSeconds(30));
    assertThat(liveness.check().get(0).ok()).isTrue();
  }

  @Test
  void busyLoopsThatKeepMakingProgressStayHealthy() {
    for (int i = 0; i < 100; i++) {
      writer.around(() -> advance(Duration.ofSeconds(10))).run();
    }

    assertThat(liveness.check().get(0).ok()).isTrue();
  }

  @Test
  void oneStuckThreadOfAPoolFailsTheCheckWhileAnotherMakesProgress() throws InterruptedException {
    Heartbeat pool = new Heartbeat("store-watch", nanos::get);
    liveness.register(pool);
    Thread stuck = new Thread(pool::begin, "store-watch-1");
    stuck.start();
    stuck.join();

    for (int i = 0; i < 10; i++) {
      pool.around(() -> advance(Duration.ofSeconds(10))).run();
    }

    assertThat(liveness.check("store-watch").orElseThrow().failure()).startsWith("no progress for 100s (thread "
        + "store-watch-1 ");
  }

  @Test
  void checksKeepTheirOrderAndNamesAreUnique() {
    liveness.register(new Heartbeat("informers", nanos::get));

    assertThat(liveness.names()).isEqualTo(List.of("store-writer", "informers"));
    assertThat(liveness.check("nothing")).isEmpty();
    assertThatThrownBy(() -> liveness.register(new Heartbeat("informers", nanos::get)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Heartbeat("Store Writer", nanos::get)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theThresholdComesFromTheEnvironment() {
    assertThat(Liveness.fromEnvironment(Map.of()).threshold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(Liveness.fromEnvironment(Map.of(Liveness.THRESHOLD_VARIABLE, "120")).threshold())
        .isEqualTo(Duration.ofSeconds(120));
    assertThatThrownBy(() -> Liveness.fromEnvironment(Map.of(Liveness.THRESHOLD_VARIABLE, "1m")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
