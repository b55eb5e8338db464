package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FatalErrorsTest {
  @Test
  void anErrorEscapingAThreadEndsTheProcessWithOneClearLine() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<Integer> exits = new ArrayList<>();
    FatalErrors handler = new FatalErrors(new PrintStream(err, true, StandardCharsets.UTF_8), exits::add);
    Thread thread = new Thread(() -> {
      throw new OutOfMemoryError("Java heap space");
    }, "store-watch-1");
    thread.setUncaughtExceptionHandler(handler);
    thread.start();
    thread.join();
    assertThat(exits).containsExactly(FatalErrors.EXIT_CODE);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("minicluster: fatal: java.lang.OutOfMemoryError: "
        + "Java heap space in thread store-watch-1; exiting with code 70 so that the service manager restarts the "
        + "daemon\n");
  }

  @Test
  void theProcessEndsEvenWhenWritingTheLineFails() {
    List<Integer> exits = new ArrayList<>();
    PrintStream broken = new PrintStream(new ByteArrayOutputStream()) {
      @Override
      public void println(String line) {
        throw new IllegalStateException("stderr closed");
      }
    };
    FatalErrors handler = new FatalErrors(broken, exits::add);
    try {
      handler.uncaughtException(Thread.currentThread(), new IllegalStateException("a loop's bug"));
    } catch (IllegalStateException expected) {
      // the write failed; the exit happened all the same
    }
    assertThat(exits).containsExactly(FatalErrors.EXIT_CODE);
  }

  @Test
  void aStallEndsTheProcessWithTheSameLastLineShape() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<Integer> exits = new ArrayList<>();
    new FatalErrors(new PrintStream(err, true, StandardCharsets.UTF_8), exits::add)
        .exit("liveness check failed: store-writer: no progress for 75s");

    assertThat(exits).containsExactly(FatalErrors.EXIT_CODE);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("minicluster: fatal: liveness check failed: "
        + "store-writer: no progress for 75s; exiting with code 70 so that the service manager restarts the daemon\n");
  }
}
