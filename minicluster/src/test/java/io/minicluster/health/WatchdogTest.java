package io.minicluster.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Heartbeat writer = new Heartbeat("store-writer", nanos::get);
  private final Heartbeat watch = new Heartbeat("store-watch", nanos::get);
  private final Liveness liveness = new Liveness(Duration.ofSeconds(60));
  private final List<String> heard = new ArrayList<>();
  private final Watchdog watchdog = new Watchdog(liveness, 2, new Watchdog.Outcome() {
    @Override
    public void alive() {
      heard.add("alive");
    }

    @Override
    public void stalled(List<Liveness.Result> failed) {
      heard.add("stalled " + Watchdog.describe(failed));
    }
  });

  WatchdogTest() {
    liveness.register(writer);
    liveness.register(watch);
  }

  @Test
  void passingChecksPingAlive() {
    watchdog.tick();
    nanos.addAndGet(Duration.ofHours(1).toNanos());
    watchdog.tick();

    assertThat(heard).containsExactly("alive", "alive");
  }

  @Test
  void aCheckFailingOnThresholdTicksInARowIsAStallAndNoLongerPingsAlive() {
    writer.begin();
    nanos.addAndGet(Duration.ofSeconds(61).toNanos());
    watchdog.tick();
    assertThat(heard).as("one failed tick is not yet a stall, and is not alive either").isEmpty();

    nanos.addAndGet(Duration.ofSeconds(10).toNanos());
    watchdog.tick();

    assertThat(heard).containsExactly("stalled store-writer: no progress for 71s (thread "
        + Thread.currentThread().getName() + " busy with one work item; the limit is 60s)");
  }

  @Test
  void aPassingTickResetsTheCount() {
    writer.begin();
    nanos.addAndGet(Duration.ofSeconds(61).toNanos());
    watchdog.tick();
    writer.end();
    watchdog.tick();
    writer.begin();
    nanos.addAndGet(Duration.ofSeconds(61).toNanos());
    watchdog.tick();

    assertThat(heard).containsExactly("alive");
  }

  @Test
  void everyFailedCheckIsNamed() {
    writer.begin();
    watch.begin();
    nanos.addAndGet(Duration.ofSeconds(90).toNanos());
    watchdog.tick();
    watchdog.tick();

    assertThat(heard).singleElement().asString()
        .startsWith("stalled store-writer: no progress for 90s").contains("; store-watch: no progress for 90s");
  }

  @Test
  void theThresholdIsAtLeastOne() {
    assertThatThrownBy(() -> new Watchdog(liveness, 0, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Watchdog(liveness, 0, watchdogOutcome()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("failureThreshold must be at least 1: 0");
  }

  private static Watchdog.Outcome watchdogOutcome() {
    return new Watchdog.Outcome() {
      @Override
      public void alive() {
      }

      @Override
      public void stalled(List<Liveness.Result> failed) {
      }
    };
  }
}
