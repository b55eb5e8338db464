package io.minicluster.agent.runtime;

import java.time.Instant;

/**
 * What part of a container's log to read, mirroring the pod log API's options.
 *
 * @param follow keep streaming until the container stops or the stream is closed
 * @param tailLines only the last N lines, -1 for all
 * @param sinceTime only lines written at or after this time, null for all (exact, like the kubelet)
 * @param timestamps prefix each line with its RFC 3339 timestamp
 * @param limitBytes stop after this many bytes, 0 for no limit
 */
public record LogOptions(boolean follow, int tailLines, Instant sinceTime, boolean timestamps, long limitBytes) {
  public static final LogOptions ALL = new LogOptions(false, -1, null, false, 0);

  public LogOptions {
    if (tailLines < -1) {
      throw new IllegalArgumentException("tailLines must be -1 (all) or at least 0");
    }
    if (limitBytes < 0) {
      throw new IllegalArgumentException("limitBytes is negative");
    }
  }
}
