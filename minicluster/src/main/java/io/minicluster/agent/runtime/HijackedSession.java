package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exec or attach session over a {@link HijackedConnection}. A dedicated reader thread decodes the output and hands
 * frames to the sink one at a time, in order (blocking in the sink stops reading from the engine: back-pressure). When
 * the output ends, {@link #completion()} completes, then the reader thread determines the exit code.
 *
 * <p>Stdin writes go straight to the socket from the caller's thread and block while the engine does not take them.
 * Closing {@link #stdin()} half-closes the socket when {@code eofOnStdinClose}: the engine then closes the process's
 * stdin (exec without TTY; attach to a {@code StdinOnce} container) or ends the attach (other attaches), exactly as
 * the kubelet's runtimes do.
 */
final class HijackedSession implements InteractiveSession {
  private static final Logger LOG = LoggerFactory.getLogger(HijackedSession.class);
  private static final int READ_BUFFER_BYTES = 32 * 1024;

  /** Resizes a TTY. */
  @FunctionalInterface
  interface Resizer {
    void resize(int width, int height);
  }

  /**
   * Determines the exit code once the stream is over; {@code outputEnded}: the engine ended the output (else the
   * session was closed or failed, and the process may still run).
   */
  @FunctionalInterface
  interface ExitCodeReader {
    int exitCode(boolean outputEnded);
  }

  private final HijackedConnection connection;
  private final StreamDemultiplexer demultiplexer;
  private final FrameSink sink;
  private final boolean stdinEnabled;
  private final boolean eofOnStdinClose;
  private final Resizer resizer;
  private final ExitCodeReader exitCodeReader;
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final Object stdinLock = new Object();
  private final Thread reader;
  private volatile boolean closed;
  private boolean stdinClosed;

  private final OutputStream stdin = new OutputStream() {
    @Override
    public void write(int value) throws IOException {
      write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, bytes.length);
      synchronized (stdinLock) {
        if (!stdinEnabled) {
          throw new IOException("the session has no stdin");
        }
        if (stdinClosed || closed) {
          throw new IOException("stdin is closed");
        }
        if (length > 0) {
          connection.write(ByteBuffer.wrap(bytes, offset, length));
        }
      }
    }

    @Override
    public void close() throws IOException {
      closeStdin();
    }
  };

  /**
   * Opens the session and starts its reader thread.
   *
   * @param threadName name of the reader thread
   * @param tty whether the output is raw (TTY) rather than multiplexed
   * @param stdinEnabled whether {@link #stdin()} accepts writes
   * @param eofOnStdinClose whether closing stdin half-closes the connection
   */
  static HijackedSession start(HijackedConnection connection, String threadName, boolean tty, boolean stdinEnabled,
      boolean eofOnStdinClose, FrameSink sink, Resizer resizer, ExitCodeReader exitCodeReader) {
    HijackedSession session = new HijackedSession(connection, threadName, tty, stdinEnabled, eofOnStdinClose, sink,
        resizer, exitCodeReader);
    session.reader.start();
    return session;
  }

  private HijackedSession(HijackedConnection connection, String threadName, boolean tty, boolean stdinEnabled,
      boolean eofOnStdinClose, FrameSink sink, Resizer resizer, ExitCodeReader exitCodeReader) {
    this.connection = requireNonNull(connection, "connection is null");
    this.demultiplexer = new StreamDemultiplexer(tty);
    this.sink = requireNonNull(sink, "sink is null");
    this.stdinEnabled = stdinEnabled;
    this.eofOnStdinClose = eofOnStdinClose;
    this.resizer = requireNonNull(resizer, "resizer is null");
    this.exitCodeReader = requireNonNull(exitCodeReader, "exitCodeReader is null");
    this.reader = new Thread(this::readOutput, requireNonNull(threadName, "threadName is null"));
    this.reader.setDaemon(true);
  }

  private void readOutput() {
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    boolean outputEnded = false;
    try {
      while (!closed) {
        buffer.clear();
        int count = connection.read(buffer);
        if (count < 0) {
          break;
        }
        demultiplexer.feed(buffer.array(), 0, buffer.position(), this::deliver);
      }
      if (demultiplexer.midFrame() && !closed) {
        LOG.debug("engine stream ended inside a frame");
      }
      outputEnded = !closed;
      completion.complete(null);
    } catch (IOException exception) {
      if (closed) {
        completion.complete(null);
      } else {
        LOG.debug("{}: engine stream failed: {}", Thread.currentThread().getName(), exception.toString());
        completion.completeExceptionally(new ContainerRuntimeException(exception.getMessage(), exception));
      }
    } catch (SinkFailure failure) {
      LOG.debug("frame sink failed; closing the session", failure.getCause());
      completion.completeExceptionally(failure.getCause());
    } catch (RuntimeException | Error unexpected) {
      completion.completeExceptionally(unexpected);
      throw unexpected;
    } finally {
      connection.close();
      try {
        exitCode.complete(exitCodeReader.exitCode(outputEnded));
      } catch (RuntimeException exception) {
        exitCode.completeExceptionally(exception);
      }
    }
  }

  private void deliver(StreamFrame frame) {
    if (closed) {
      return;
    }
    try {
      sink.accept(frame);
    } catch (RuntimeException exception) {
      throw new SinkFailure(exception);
    }
  }

  private void closeStdin() throws IOException {
    synchronized (stdinLock) {
      if (!stdinEnabled || stdinClosed) {
        return;
      }
      stdinClosed = true;
      if (eofOnStdinClose && !closed && connection.isOpen()) {
        connection.shutdownOutput();
      }
    }
  }

  @Override
  public OutputStream stdin() {
    return stdin;
  }

  @Override
  public void resize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("width and height must be positive");
    }
    resizer.resize(width, height);
  }

  @Override
  public CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  @Override
  public CompletableFuture<Void> completion() {
    return completion;
  }

  /** Stops the stream: the connection closes (the engine detaches; a running exec keeps running), the reader ends. */
  @Override
  public void close() {
    closed = true;
    connection.close();
  }

  /** Whether the reader thread still runs (for tests). */
  boolean readerAlive() {
    return reader.isAlive();
  }

  /** Carries a sink's exception out of the decoder. */
  private static final class SinkFailure extends RuntimeException {
    SinkFailure(RuntimeException cause) {
      super(cause);
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) super.getCause();
    }
  }
}
