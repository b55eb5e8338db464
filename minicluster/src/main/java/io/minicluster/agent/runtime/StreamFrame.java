package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * A chunk of a container's output. With a TTY the engine cannot separate the streams and everything is
 * {@link Kind#STDOUT}. With log timestamps each line starts with an RFC 3339 timestamp and a space, like the kubelet's.
 *
 * @param kind which stream
 * @param payload the bytes (not copied: do not modify)
 */
public record StreamFrame(Kind kind, byte[] payload) {
  /** Output streams. */
  public enum Kind {
    STDOUT,
    STDERR
  }

  public StreamFrame {
    requireNonNull(kind, "kind is null");
    requireNonNull(payload, "payload is null");
  }

  /** The payload as UTF-8 text (for tests and diagnostics). */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
