package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits the engine's exec/attach output into {@link StreamFrame}s.
 *
 * <p>Without a TTY the engine multiplexes: every frame starts with an 8-byte header (byte 0 the stream: 0 stdin, 1
 * stdout, 2 stderr, 3 engine error; bytes 1-3 zero; bytes 4-7 the payload length, big-endian). With a TTY the stream
 * is raw bytes, all of them stdout. Payload bytes are delivered as soon as they arrive, so one engine frame may become
 * several {@link StreamFrame}s; their order is kept. An engine error frame (stream 3) is collected and reported as an
 * {@link IOException} carrying its message. Not thread-safe: one reader feeds it.
 */
final class StreamDemultiplexer {
  static final int HEADER_LENGTH = 8;
  private static final int SYSTEM_ERROR_LIMIT = 64 * 1024;

  private final boolean raw;
  private final byte[] header = new byte[HEADER_LENGTH];
  private int headerFilled;
  private long payloadRemaining;
  private int streamType;
  private ByteArrayOutputStream systemError;

  /** @param raw true for a TTY stream (no framing) */
  StreamDemultiplexer(boolean raw) {
    this.raw = raw;
  }

  /**
   * Decodes {@code length} bytes at {@code offset}; complete or partial payloads go to {@code sink} (each with a fresh
   * array).
   *
   * @throws IOException when a header is malformed or the engine reported an error in the stream
   */
  void feed(byte[] bytes, int offset, int length, FrameSink sink) throws IOException {
    requireNonNull(bytes, "bytes is null");
    requireNonNull(sink, "sink is null");
    if (length == 0) {
      return;
    }
    if (raw) {
      sink.accept(new StreamFrame(StreamFrame.Kind.STDOUT, Arrays.copyOfRange(bytes, offset, offset + length)));
      return;
    }
    int position = offset;
    int end = offset + length;
    while (position < end) {
      if (payloadRemaining == 0) {
        int take = Math.min(HEADER_LENGTH - headerFilled, end - position);
        System.arraycopy(bytes, position, header, headerFilled, take);
        headerFilled += take;
        position += take;
        if (headerFilled == HEADER_LENGTH) {
          headerFilled = 0;
          startFrame();
        }
        continue;
      }
      int take = (int) Math.min(payloadRemaining, end - position);
      byte[] payload = Arrays.copyOfRange(bytes, position, position + take);
      position += take;
      payloadRemaining -= take;
      payload(payload, sink);
    }
  }

  /** Whether the stream stopped inside a frame (header or payload). */
  boolean midFrame() {
    return !raw && (headerFilled > 0 || payloadRemaining > 0);
  }

  private void startFrame() throws IOException {
    streamType = header[0] & 0xff;
    if (streamType > 3 || header[1] != 0 || header[2] != 0 || header[3] != 0) {
      throw new IOException("malformed engine stream header " + Arrays.toString(header));
    }
    payloadRemaining = ((header[4] & 0xffL) << 24) | ((header[5] & 0xffL) << 16) | ((header[6] & 0xffL) << 8)
        | (header[7] & 0xffL);
    if (streamType == 3) {
      systemError = new ByteArrayOutputStream();
      if (payloadRemaining == 0) {
        throw systemErrorException();
      }
    }
  }

  private void payload(byte[] payload, FrameSink sink) throws IOException {
    if (streamType == 3) {
      if (systemError.size() < SYSTEM_ERROR_LIMIT) {
        systemError.write(payload, 0, Math.min(payload.length, SYSTEM_ERROR_LIMIT - systemError.size()));
      }
      if (payloadRemaining == 0) {
        throw systemErrorException();
      }
      return;
    }
    sink.accept(new StreamFrame(streamType == 2 ? StreamFrame.Kind.STDERR : StreamFrame.Kind.STDOUT, payload));
  }

  private IOException systemErrorException() {
    String message = systemError.toString(StandardCharsets.UTF_8).strip();
    return new IOException("engine error: " + (message.isEmpty() ? "(no message)" : message));
  }
}
