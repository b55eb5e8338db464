package io.minicluster.controller.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls an assertion until it passes or a bounded timeout expires (a tiny Awaitility). */
public final class Eventually {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Eventually() {}

  public static void assertThat(Runnable assertion) {
    assertThat(DEFAULT_TIMEOUT, assertion);
  }

  /** Runs the assertion every 20 ms until it stops throwing; rethrows its last failure after the timeout. */
  public static void assertThat(Duration timeout, Runnable assertion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Polls until the supplier returns a non-null value. */
  public static <T> T value(Supplier<T> supplier) {
    Object[] holder = new Object[1];
    assertThat(() -> {
      T value = supplier.get();
      if (value == null) {
        throw new AssertionError("no value yet");
      }
      holder[0] = value;
    });
    @SuppressWarnings("unchecked")
    T result = (T) holder[0];
    return result;
  }
}
