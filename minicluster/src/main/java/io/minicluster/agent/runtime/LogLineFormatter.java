package io.minicluster.agent.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Turns the engine's log messages, always read with timestamps, into what the kubelet serves.
 *
 * <p>The engine prefixes every message with {@code 2006-01-02T15:04:05.000000000Z } (nine fraction digits), also the
 * continuation pieces of a line longer than 16 KiB, which it stores as separate messages. The kubelet writes one
 * prefix per line, in Go's RFC 3339 with nanoseconds (fraction without trailing zeros), and filters {@code sinceTime}
 * exactly. So this: drops messages older than {@code since}; strips the prefix of continuation pieces (the previous
 * message of the same stream did not end the line) and, without {@code timestamps}, of every message; rewrites the
 * others' prefix in the kubelet's form. A message without a readable prefix passes unchanged. Not thread-safe: one log
 * stream feeds it, in order.
 */
final class LogLineFormatter {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int LONGEST_PREFIX = 40;

  private final boolean timestamps;
  private final Instant since;
  private final boolean[] midLine = new boolean[StreamFrame.Kind.values().length];

  /**
   * @param timestamps whether the output keeps a timestamp per line
   * @param since drop messages written before this, null for none
   */
  LogLineFormatter(boolean timestamps, Instant since) {
    this.timestamps = timestamps;
    this.since = since;
  }

  /** The frame to deliver for one engine message, or null to drop it. */
  StreamFrame format(StreamFrame message) {
    byte[] payload = message.payload();
    int space = -1;
    for (int index = 0; index < Math.min(payload.length, LONGEST_PREFIX); index++) {
      if (payload[index] == ' ') {
        space = index;
        break;
      }
    }
    Instant time = null;
    if (space > 0) {
      try {
        time = Instant.parse(new String(payload, 0, space, StandardCharsets.US_ASCII));
      } catch (DateTimeParseException notATimestamp) {
        time = null;
      }
    }
    if (time == null) {
      track(message.kind(), payload, 0);
      return message;
    }
    if (since != null && time.isBefore(since)) {
      return null;
    }
    boolean continuation = midLine[message.kind().ordinal()];
    track(message.kind(), payload, space + 1);
    byte[] line = Arrays.copyOfRange(payload, space + 1, payload.length);
    if (!timestamps || continuation) {
      return new StreamFrame(message.kind(), line);
    }
    byte[] prefix = (format(time) + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] result = Arrays.copyOf(prefix, prefix.length + line.length);
    System.arraycopy(line, 0, result, prefix.length, line.length);
    return new StreamFrame(message.kind(), result);
  }

  private void track(StreamFrame.Kind kind, byte[] payload, int lineStart) {
    if (payload.length > lineStart) {
      midLine[kind.ordinal()] = payload[payload.length - 1] != '\n';
    }
  }

  /** Go's {@code time.RFC3339Nano} in UTC: the fraction without trailing zeros, none when zero. */
  static String format(Instant time) {
    String seconds = SECONDS.format(time);
    int nanos = time.getNano();
    if (nanos == 0) {
      return seconds + "Z";
    }
    String fraction = String.format("%09d", nanos);
    int end = fraction.length();
    while (fraction.charAt(end - 1) == '0') {
      end--;
    }
    return seconds + "." + fraction.substring(0, end) + "Z";
  }
}
