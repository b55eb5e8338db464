package io.minicluster.apiserver.protobuf;

import java.math.BigDecimal;

/** Formats nanoseconds as Go's time.Duration.String(): "1h2m3.5s", "1m0s", "1.5ms", "0s". */
final class GoDuration {
  private static final long MICROSECOND = 1_000L;
  private static final long MILLISECOND = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private GoDuration() {}

  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    BigDecimal magnitude = BigDecimal.valueOf(nanos).abs();
    long absolute = magnitude.longValueExact();
    if (absolute < MICROSECOND) {
      return sign + absolute + "ns";
    }
    if (absolute < MILLISECOND) {
      return sign + fraction(magnitude, MICROSECOND) + "µs";
    }
    if (absolute < SECOND) {
      return sign + fraction(magnitude, MILLISECOND) + "ms";
    }
    long hours = absolute / (3600 * SECOND);
    long rest = absolute % (3600 * SECOND);
    long minutes = rest / (60 * SECOND);
    String seconds = fraction(BigDecimal.valueOf(rest % (60 * SECOND)), SECOND);
    StringBuilder text = new StringBuilder(sign);
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    return text.append(seconds).append('s').toString();
  }

  private static String fraction(BigDecimal value, long unit) {
    BigDecimal scaled = value.divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
    return scaled.scale() < 0 ? scaled.setScale(0).toPlainString() : scaled.toPlainString();
  }
}
