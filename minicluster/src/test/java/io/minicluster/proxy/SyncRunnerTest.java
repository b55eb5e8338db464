package io.minicluster.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kube-proxy's batching, on a manual clock. */
class SyncRunnerTest {
  /** A timer whose clock only moves when told; due tasks run in order on the caller's thread. */
  static final class ManualTimer implements SyncRunner.Timer {
    private record Task(long at, long order, Runnable task, boolean[] cancelled) {}

    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long order;

    @Override
    public Runnable schedule(Runnable task, long delayNanos) {
      boolean[] cancelled = {false};
      tasks.add(new Task(now + delayNanos, order++, task, cancelled));
      return () -> cancelled[0] = true;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    void advance(Duration duration) {
      long until = now + duration.toNanos();
      while (true) {
        Task next = tasks.stream().filter(t -> !t.cancelled()[0] && t.at() <= until)
            .min(Comparator.comparingLong(Task::at).thenComparingLong(Task::order)).orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
        now = Math.max(now, next.at());
        next.task().run();
      }
      now = until;
    }
  }

  private final ManualTimer timer = new ManualTimer();
  private final List<Long> syncTimes = new ArrayList<>();
  private boolean failNext;

  private SyncRunner runner() {
    return new SyncRunner(() -> {
      syncTimes.add(TimeUnit.NANOSECONDS.toMillis(timer.nanoTime()));
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("iptables-restore failed");
      }
    }, Duration.ofSeconds(1), Duration.ofSeconds(30), timer);
  }

  @Test
  void changesWithinTheMinimumPeriodAreAppliedInOneSync() {
    SyncRunner runner = runner();
    runner.request(); // before start: the first sync covers it
    runner.start();
    timer.advance(Duration.ZERO);
    assertThat(syncTimes).containsExactly(0L);

    timer.advance(Duration.ofMillis(100));
    for (int i = 0; i < 10; i++) {
      runner.request();
      timer.advance(Duration.ofMillis(50));
    }
    timer.advance(Duration.ofSeconds(2));
    // ten changes between 100 ms and 550 ms: the first uses the bucket's second token at once; the other nine wait
    // together for the next token, a minimum period after the start's sync
    assertThat(syncTimes).containsExactly(0L, 100L, 1000L);

    // a change long after the last sync is applied at once
    timer.advance(Duration.ofSeconds(5));
    runner.request();
    timer.advance(Duration.ZERO);
    assertThat(syncTimes).containsExactly(0L, 100L, 1000L, 7600L);
  }

  @Test
  void afterAQuietSpellTwoChangesInARowAreEachAppliedAtOnce() {
    SyncRunner runner = runner();
    runner.start();
    timer.advance(Duration.ofSeconds(10)); // quiet: the bucket is full again (2 syncs)
    syncTimes.clear();

    runner.request(); // a service
    timer.advance(Duration.ofMillis(20));
    runner.request(); // its endpoints, right after
    timer.advance(Duration.ofMillis(20));
    runner.request(); // a third change: the bucket is empty, it waits for the next token
    timer.advance(Duration.ofSeconds(2));
    assertThat(syncTimes).containsExactly(10000L, 10020L, 11000L);
  }

  @Test
  void withoutChangesTheRulesAreResyncedPeriodically() {
    SyncRunner runner = runner();
    runner.start();
    timer.advance(Duration.ofSeconds(61));
    assertThat(syncTimes).containsExactly(0L, 30000L, 60000L);
  }

  @Test
  void aFailedSyncIsRetriedAfterTheMinimumPeriod() {
    SyncRunner runner = runner();
    failNext = true;
    runner.start();
    timer.advance(Duration.ofSeconds(2));
    assertThat(syncTimes).containsExactly(0L, 1000L);
    assertThat(runner.syncs()).isEqualTo(2);
  }

  @Test
  void nothingRunsAfterClose() {
    SyncRunner runner = runner();
    runner.start();
    timer.advance(Duration.ZERO);
    runner.close();
    runner.request();
    timer.advance(Duration.ofMinutes(5));
    assertThat(syncTimes).containsExactly(0L);
  }
}
