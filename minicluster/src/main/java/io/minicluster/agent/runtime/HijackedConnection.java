package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One engine connection taken over for a raw stream, the way the Docker CLI does exec and attach: a {@code POST} with
 * {@code Connection: Upgrade} / {@code Upgrade: tcp}, answered by {@code 101 UPGRADED} (or {@code 200 OK} by engines
 * that hijack without announcing it); afterwards the socket carries the process's stdin one way and its output the
 * other. {@link #shutdownOutput()} half-closes the socket, which the engine reads as end-of-file on stdin.
 *
 * <p>Reads and writes may run on different threads at the same time (the channel's read and write sides are locked
 * separately); the channel is used directly because the stream adapters of {@link java.nio.channels.Channels}
 * serialize reads with writes.
 */
final class HijackedConnection implements Closeable {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  private final SocketChannel channel;
  private final ByteBuffer buffer;

  private HijackedConnection(SocketChannel channel, ByteBuffer buffer) {
    this.channel = channel;
    this.buffer = buffer;
  }

  /**
   * Connects and upgrades; returns once the engine answered.
   *
   * @param path request path with query, e.g. {@code /exec/ID/start}
   * @param jsonBody the request body, empty for none
   * @param timeout longest wait for connecting and for the engine's answer
   * @param scheduler runs the answer timeout
   * @throws ContainerRuntimeException when the engine refused (its message included)
   * @throws IOException when the connection failed or the engine did not answer in time
   */
  static HijackedConnection open(EngineEndpoint endpoint, String path, String jsonBody, Duration timeout,
      ScheduledExecutorService scheduler) throws IOException {
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(path, "path is null");
    requireNonNull(jsonBody, "jsonBody is null");
    SocketChannel channel = endpoint.connect(timeout);
    ScheduledFuture<?> watchdog = null;
    boolean upgraded = false;
    try {
      try {
        watchdog = scheduler.schedule(() -> closeQuietly(channel), timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shutDown) {
        throw new IOException("runtime is closed");
      }
      byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
      StringBuilder request = new StringBuilder()
          .append("POST ").append(path).append(" HTTP/1.1\r\n")
          .append("Host: docker\r\n")
          .append("User-Agent: minicluster\r\n")
          .append("Connection: Upgrade\r\n")
          .append("Upgrade: tcp\r\n");
      if (body.length > 0) {
        request.append("Content-Type: application/json\r\n");
      }
      request.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      byte[] head = request.toString().getBytes(StandardCharsets.US_ASCII);
      ByteBuffer out = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
      writeFully(channel, out);

      ByteBuffer in = ByteBuffer.allocate(16 * 1024);
      Response response = readHead(channel, in);
      if (response.status() != 101 && response.status() != 200) {
        String errorBody = readErrorBody(channel, in, response.headers());
        throw new ContainerRuntimeException("engine answered " + response.status() + ": "
            + EngineClient.engineMessage(new IOException(errorBody.isBlank() ? response.reason() : errorBody)));
      }
      if (!watchdog.cancel(false) || !channel.isOpen()) {
        throw new IOException("engine did not answer within " + timeout);
      }
      upgraded = true;
      return new HijackedConnection(channel, in);
    } catch (ClosedChannelException timedOut) {
      throw new IOException("engine did not answer within " + timeout, timedOut);
    } finally {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
      if (!upgraded) {
        closeQuietly(channel);
      }
    }
  }

  /**
   * Reads stream bytes (first those that arrived with the engine's answer) into {@code target}; blocks until some are
   * available. Returns -1 at end of stream.
   */
  int read(ByteBuffer target) throws IOException {
    if (buffer.hasRemaining()) {
      int count = Math.min(buffer.remaining(), target.remaining());
      ByteBuffer slice = buffer.slice(buffer.position(), count);
      target.put(slice);
      buffer.position(buffer.position() + count);
      return count;
    }
    return channel.read(target);
  }

  /** Writes all bytes (blocking while the engine does not take them). */
  void write(ByteBuffer source) throws IOException {
    writeFully(channel, source);
  }

  /** Half-closes: the engine sees end-of-file on stdin; output keeps coming. */
  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  boolean isOpen() {
    return channel.isOpen();
  }

  /** Closes the connection; a blocked read or write fails at once. */
  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void writeFully(SocketChannel channel, ByteBuffer source) throws IOException {
    while (source.hasRemaining()) {
      channel.write(source);
    }
  }

  private record Response(int status, String reason, Map<String, String> headers) {}

  /** Reads the status line and headers; leaves {@code in} in read mode holding the bytes after them. */
  private static Response readHead(SocketChannel channel, ByteBuffer in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    in.clear();
    in.flip();
    while (true) {
      if (!in.hasRemaining()) {
        in.clear();
        int count = channel.read(in);
        in.flip();
        if (count < 0) {
          throw new IOException("engine closed the connection before answering");
        }
        continue;
      }
      byte next = in.get();
      head.write(next);
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("engine answer head too long");
      }
      matched = (next == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (next == '\r' ? 1 : 0);
      if (matched == 4) {
        break;
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusParts = lines[0].split(" ", 3);
    if (statusParts.length < 2 || !statusParts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + lines[0]);
    }
    int status;
    try {
      status = Integer.parseInt(statusParts[1]);
    } catch (NumberFormatException malformed) {
      throw new IOException("not an HTTP answer: " + lines[0], malformed);
    }
    Map<String, String> headers = new HashMap<>();
    for (int index = 1; index < lines.length; index++) {
      int colon = lines[index].indexOf(':');
      if (colon > 0) {
        headers.put(lines[index].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[index].substring(colon + 1).trim());
      }
    }
    return new Response(status, statusParts.length > 2 ? statusParts[2] : "", headers);
  }

  /** The body of an error answer (Content-Length, chunked, or up to end of stream), at most 64 KiB. */
  private static String readErrorBody(SocketChannel channel, ByteBuffer in, Map<String, String> headers)
      throws IOException {
    BodyReader reader = new BodyReader(channel, in);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      while (body.size() < MAX_ERROR_BODY_BYTES) {
        String sizeLine = reader.line();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
        if (size == 0) {
          break;
        }
        reader.copy(body, Math.min(size, MAX_ERROR_BODY_BYTES - body.size()));
        reader.line();
      }
    } else if (length != null) {
      reader.copy(body, (int) Math.min(Long.parseLong(length.trim()), MAX_ERROR_BODY_BYTES));
    } else {
      reader.copy(body, MAX_ERROR_BODY_BYTES);
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  /** Byte reads over the head buffer and then the channel. */
  private static final class BodyReader {
    private final SocketChannel channel;
    private final ByteBuffer in;

    BodyReader(SocketChannel channel, ByteBuffer in) {
      this.channel = channel;
      this.in = in;
    }

    /** The next byte, or -1 at end of stream. */
    int next() throws IOException {
      if (!in.hasRemaining()) {
        in.clear();
        int count = channel.read(in);
        in.flip();
        if (count < 0) {
          return -1;
        }
        if (count == 0) {
          return next();
        }
      }
      return in.get() & 0xff;
    }

    String line() throws IOException {
      StringBuilder line = new StringBuilder();
      int value;
      while ((value = next()) >= 0 && value != '\n') {
        if (value != '\r') {
          line.append((char) value);
        }
        if (line.length() > 1024) {
          throw new IOException("line too long in engine answer");
        }
      }
      return line.toString();
    }

    void copy(ByteArrayOutputStream target, int count) throws IOException {
      for (int index = 0; index < count; index++) {
        int value = next();
        if (value < 0) {
          return;
        }
        target.write(value);
      }
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
