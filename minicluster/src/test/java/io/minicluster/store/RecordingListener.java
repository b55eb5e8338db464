package io.minicluster.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A watch listener that records what it receives, with a polling wait for tests. */
class RecordingListener implements Store.WatchListener {
  final List<Store.Event> events = new CopyOnWriteArrayList<>();
  final List<Long> progress = new CopyOnWriteArrayList<>();
  final List<String> closes = new CopyOnWriteArrayList<>();
  /** Everything in arrival order, as strings: "E:<rev>", "P:<rev>", "C:<reason>". */
  final List<String> sequence = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(Store.Event event) {
    events.add(event);
    sequence.add("E:" + event.revision());
  }

  @Override
  public void onProgress(long revision) {
    progress.add(revision);
    sequence.add("P:" + revision);
  }

  @Override
  public void onClose(String reason) {
    closes.add(reason);
    sequence.add("C:" + reason);
  }

  static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(5);
    }
  }
}
