package io.minicluster.agent.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A running output stream (logs, exec, attach). Closing it stops the stream; {@link #completion()} then completes
 * normally. The completion fails when the engine reported an error.
 */
public interface StreamSession extends AutoCloseable {
  /** Completes when the stream ended (end of output, limit reached, or closed). */
  CompletableFuture<Void> completion();

  /** Stops streaming; idempotent. */
  @Override
  void close();
}
