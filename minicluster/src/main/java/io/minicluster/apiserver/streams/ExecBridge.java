package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.runtime.StreamFrame;
import io.minicluster.json.Json;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a runtime exec/attach session to a client transport. Blocking engine calls (opening the session, stdin
 * writes, resizes) run in order on a serial executor so the event loop never blocks; input the client sends before
 * the session is open waits in that queue. Output back-pressure: the engine thread delivering frames waits while the
 * client connection is not writable, which stops reading from the engine.
 */
final class ExecBridge {
  private static final Logger LOG = LoggerFactory.getLogger(ExecBridge.class);
  /** Stdin bytes queued for the engine above which reading from the client pauses. */
  static final long STDIN_HIGH_WATER = 1024 * 1024;
  static final long STDIN_LOW_WATER = 256 * 1024;

  private final ExecTransport transport;
  private final SerialExecutor engineTasks;
  private final AtomicLong pendingStdin = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicBoolean gone = new AtomicBoolean();
  private final Object writable = new Object();
  private volatile InteractiveSession session;
  private volatile boolean stdinClosed;

  ExecBridge(ExecTransport transport, Executor executor) {
    this.transport = requireNonNull(transport, "transport is null");
    this.engineTasks = new SerialExecutor(requireNonNull(executor, "executor is null"));
  }

  /**
   * Opens the session on the engine (in the background) and reports its result when it ends.
   *
   * @param opener opens the session, given the sink to deliver output to
   * @param resultOf maps the exit code to the result (exec and attach differ)
   */
  void start(Function<FrameSink, InteractiveSession> opener, IntFunction<ExecResult> resultOf) {
    engineTasks.execute(() -> {
      if (gone.get()) {
        return;
      }
      InteractiveSession opened;
      try {
        opened = opener.apply(this::deliver);
      } catch (RuntimeException e) {
        LOG.debug("opening the session failed: {}", e.toString());
        finish(new ExecResult.Error(String.valueOf(e.getMessage())));
        return;
      }
      session = opened;
      if (stdinClosed) {
        closeQuietly(opened);
      }
      opened.exitCode().whenComplete((code, failure) -> {
        if (failure != null) {
          finish(new ExecResult.Error(String.valueOf(failure.getMessage())));
        } else {
          finish(resultOf.apply(code));
        }
      });
      if (gone.get()) {
        opened.close();
      }
    });
  }

  private void deliver(StreamFrame frame) {
    if (gone.get()) {
      return;
    }
    awaitWritable();
    transport.output(frame.kind(), frame.payload());
  }

  private void awaitWritable() {
    Channel channel = transport.channel();
    if (channel.eventLoop().inEventLoop()) {
      return;
    }
    synchronized (writable) {
      while (!channel.isWritable() && channel.isActive() && !gone.get()) {
        try {
          writable.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The client connection's writability changed (event loop). */
  void writabilityChanged() {
    synchronized (writable) {
      writable.notifyAll();
    }
  }

  /** Stdin bytes from the client (event loop). */
  void stdin(byte[] bytes) {
    if (stdinClosed || bytes.length == 0) {
      return;
    }
    Channel channel = transport.channel();
    if (pendingStdin.addAndGet(bytes.length) > STDIN_HIGH_WATER) {
      channel.config().setAutoRead(false);
    }
    engineTasks.execute(() -> {
      InteractiveSession current = session;
      try {
        if (current != null && !stdinClosed) {
          current.stdin().write(bytes);
          current.stdin().flush();
        }
      } catch (IOException e) {
        LOG.debug("writing stdin failed: {}", e.toString());
      } finally {
        if (pendingStdin.addAndGet(-bytes.length) < STDIN_LOW_WATER && !channel.config().isAutoRead()) {
          channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
        }
      }
    });
  }

  /** The client closed stdin (end of file). */
  void closeStdin() {
    engineTasks.execute(() -> {
      if (stdinClosed) {
        return;
      }
      stdinClosed = true;
      InteractiveSession current = session;
      if (current != null) {
        closeQuietly(current);
      }
    });
  }

  /** A resize message: a JSON object (or several, one per line) {@code {"Width":80,"Height":24}}. */
  void resize(byte[] message) {
    for (String line : new String(message, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int width;
      int height;
      try {
        ObjectNode size = Json.parseObject(line);
        width = size.path("Width").asInt(0);
        height = size.path("Height").asInt(0);
      } catch (RuntimeException e) {
        LOG.debug("ignoring a malformed resize message: {}", e.toString());
        continue;
      }
      if (width <= 0 || height <= 0) {
        continue;
      }
      engineTasks.execute(() -> {
        InteractiveSession current = session;
        if (current != null) {
          try {
            current.resize(width, height);
          } catch (RuntimeException e) {
            LOG.debug("resize failed: {}", e.toString());
          }
        }
      });
    }
  }

  /** The client went away: stop the session. */
  void clientGone() {
    if (gone.compareAndSet(false, true)) {
      writabilityChanged();
      InteractiveSession current = session;
      if (current != null) {
        // close directly, not behind queued stdin writes: a write blocked on a process that never reads its
        // stdin would otherwise hold the queue (close is thread-safe and fails such a write at once)
        current.close();
      }
    }
  }

  private void finish(ExecResult result) {
    if (finished.compareAndSet(false, true)) {
      transport.finish(result);
    }
  }

  private static void closeQuietly(InteractiveSession session) {
    try {
      session.stdin().close();
    } catch (IOException e) {
      LOG.debug("closing stdin failed: {}", e.toString());
    }
  }
}
