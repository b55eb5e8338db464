package io.minicluster.apiserver.printers;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Ages as kubectl shows them: apimachinery's duration.HumanDuration (about 2-3 significant figures, e.g. "45s",
 * "3m10s", "5h2m", "3d4h", "2y30d") and the printers' translateTimestampSince.
 */
public final class HumanDuration {
  private HumanDuration() {}

  /** Time since a timestamp: "&lt;unknown&gt;" when it is missing (the zero time). */
  public static String since(Instant timestamp, Instant now) {
    requireNonNull(now, "now is null");
    if (timestamp == null) {
      return "<unknown>";
    }
    return format(Duration.between(timestamp, now));
  }

  /**
   * Formats a duration. Up to one second in the future counts as "0s" (clock skew); further in the future is
   * "&lt;invalid&gt;".
   */
  public static String format(Duration duration) {
    requireNonNull(duration, "duration is null");
    long seconds = duration.getSeconds();
    if (seconds < 0 && duration.getNano() > 0) {
      seconds++; // truncate toward zero, as Go's int(d.Seconds())
    }
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long remainder = seconds % 60;
      return remainder == 0 ? minutes + "m" : minutes + "m" + remainder + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = seconds / 3600;
    if (hours < 8) {
      long remainder = minutes % 60;
      return remainder == 0 ? hours + "h" : hours + "h" + remainder + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long remainder = hours % 24;
      return remainder == 0 ? hours / 24 + "d" : hours / 24 + "d" + remainder + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long days = (hours / 24) % 365;
      return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
