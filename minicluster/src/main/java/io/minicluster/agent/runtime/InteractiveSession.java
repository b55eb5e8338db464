package io.minicluster.agent.runtime;

import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** An exec or attach session: output goes to the {@link FrameSink} given when opening it. */
public interface InteractiveSession extends StreamSession {
  /**
   * The process's stdin. Closing it sends end-of-file (with a TTY it does not: there end-of-file is a character the
   * client types). When the session was opened without stdin, writes fail with {@link java.io.IOException}. Writes
   * block while the process does not read.
   */
  OutputStream stdin();

  /** Resizes the TTY (only meaningful with a TTY). */
  void resize(int width, int height);

  /**
   * Completes with the exit code once the output stream ended: for exec the command's exit code, for attach the
   * container's exit code if it stopped, or -1 if the attach was closed while it still runs.
   */
  CompletableFuture<Integer> exitCode();
}
