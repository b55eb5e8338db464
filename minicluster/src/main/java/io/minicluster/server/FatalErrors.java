package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-only handling of what the daemon cannot recover from: an error that escapes any of its threads (an
 * {@link OutOfMemoryError}, a {@link StackOverflowError}, or an exception no loop of ours expected) ends the process
 * with one clear last line and exit code {@value #EXIT_CODE}, instead of leaving a daemon that half works (watches
 * dead, every request answered 500). The service manager (systemd's {@code Restart=always}, or the supervisor of
 * {@code minicluster start}) starts it again, and the state is recovered as after {@code kill -9}: every acknowledged
 * write is durable before its answer. The packaged JVM options add {@code -XX:+ExitOnOutOfMemoryError}, which ends the
 * process at the first OutOfMemoryError even where a library catches it.
 */
public final class FatalErrors implements Thread.UncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);
  /** EX_SOFTWARE from sysexits.h: an internal software error. */
  public static final int EXIT_CODE = 70;

  /** How the process ends: {@link Runtime#halt} in the daemon (no shutdown hook can hang on a broken heap). */
  @FunctionalInterface
  public interface Exit {
    void halt(int code);
  }

  private final PrintStream err;
  private final Exit exit;

  public FatalErrors(PrintStream err, Exit exit) {
    this.err = requireNonNull(err, "err is null");
    this.exit = requireNonNull(exit, "exit is null");
  }

  /** Makes every thread of this JVM end the process on an uncaught throwable. */
  public static FatalErrors install() {
    FatalErrors handler = new FatalErrors(System.err, Runtime.getRuntime()::halt);
    Thread.setDefaultUncaughtExceptionHandler(handler);
    return handler;
  }

  /**
   * Ends the process for a failure no thread threw: a core loop that stopped making progress (the liveness
   * watchdog), with the same last line and exit code as an uncaught error.
   */
  public void exit(String reason) {
    requireNonNull(reason, "reason is null");
    try {
      String line = "minicluster: fatal: " + reason + "; exiting with code " + EXIT_CODE
          + " so that the service manager restarts the daemon";
      try {
        LOG.error(line);
      } catch (Throwable logFailure) {
        // the plain line below still goes out
      }
      err.println(line);
      err.flush();
    } finally {
      exit.halt(EXIT_CODE);
    }
  }

  @Override
  public void uncaughtException(Thread thread, Throwable failure) {
    try {
      String line = "minicluster: fatal: " + failure + " in thread " + thread.getName()
          + "; exiting with code " + EXIT_CODE + " so that the service manager restarts the daemon";
      // the log first (with the stack trace), then one plain last line on stderr, which needs no allocation-heavy
      // logging machinery to get out
      try {
        LOG.error(line, failure);
      } catch (Throwable logFailure) {
        // out of memory, perhaps: the plain line below still goes out
      }
      err.println(line);
      err.flush();
    } finally {
      exit.halt(EXIT_CODE);
    }
  }
}
