package io.minicluster.api.batch;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob schedule as the apiserver and the CronJob controller read it (robfig/cron/v3's ParseStandard): five
 * fields (minute, hour, day of month, month, day of week) with lists, ranges, steps, names and {@code *}/{@code ?},
 * or a descriptor ({@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily},
 * {@code @midnight}, {@code @hourly}, {@code @every <duration>}). Parse errors carry robfig's messages, which the
 * apiserver returns as they are.
 */
public final class CronSchedule {
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
      Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
      Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
  private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
      "fri", 5, "sat", 6);

  private record Bounds(int min, int max, Map<String, Integer> names) {}

  private static final Bounds MINUTES = new Bounds(0, 59, Map.of());
  private static final Bounds HOURS = new Bounds(0, 23, Map.of());
  private static final Bounds DAYS_OF_MONTH = new Bounds(1, 31, Map.of());
  private static final Bounds MONTH_BOUNDS = new Bounds(1, 12, MONTHS);
  private static final Bounds DAYS_OF_WEEK = new Bounds(0, 6, DAYS);

  /** One field: the values it allows, and whether it was a star (which matters for day-of-month/day-of-week). */
  private record Field(BitSet values, boolean star) {}

  private final Field minute;
  private final Field hour;
  private final Field dayOfMonth;
  private final Field month;
  private final Field dayOfWeek;
  private final Duration every;

  private CronSchedule(Field minute, Field hour, Field dayOfMonth, Field month, Field dayOfWeek, Duration every) {
    this.minute = minute;
    this.hour = hour;
    this.dayOfMonth = dayOfMonth;
    this.month = month;
    this.dayOfWeek = dayOfWeek;
    this.every = every;
  }

  /**
   * Parses a schedule.
   *
   * @throws IllegalArgumentException with robfig/cron's message, e.g. "expected exactly 5 fields, found 1: [foo]"
   */
  public static CronSchedule parse(String spec) {
    requireNonNull(spec, "spec is null");
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("empty spec string");
    }
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      int space = spec.indexOf(' ');
      int equals = spec.indexOf('=');
      String zone = space < 0 ? spec.substring(equals + 1) : spec.substring(equals + 1, space);
      try {
        ZoneId.of(zone);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("provided bad location " + zone + ": unknown time zone " + zone);
      }
      spec = space < 0 ? "" : spec.substring(space).trim();
    }
    if (spec.startsWith("@")) {
      return descriptor(spec);
    }
    String[] fields = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.length + ": ["
          + String.join(" ", fields) + "]");
    }
    return new CronSchedule(field(fields[0], MINUTES), field(fields[1], HOURS), field(fields[2], DAYS_OF_MONTH),
        field(fields[3], MONTH_BOUNDS), field(fields[4], DAYS_OF_WEEK), null);
  }

  /** The parse error of a schedule, or null when it parses. */
  public static String error(String spec) {
    try {
      parse(spec);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static CronSchedule descriptor(String spec) {
    return switch (spec) {
      case "@yearly", "@annually" -> fixed("0", "0", "1", "1", "*");
      case "@monthly" -> fixed("0", "0", "1", "*", "*");
      case "@weekly" -> fixed("0", "0", "*", "*", "0");
      case "@daily", "@midnight" -> fixed("0", "0", "*", "*", "*");
      case "@hourly" -> fixed("0", "*", "*", "*", "*");
      default -> {
        if (spec.startsWith("@every ")) {
          Duration duration = GoDuration.parse(spec.substring("@every ".length()), spec);
          yield new CronSchedule(null, null, null, null, null, duration);
        }
        throw new IllegalArgumentException("unrecognized descriptor: " + spec);
      }
    };
  }

  private static CronSchedule fixed(String minute, String hour, String dayOfMonth, String month, String dayOfWeek) {
    return new CronSchedule(field(minute, MINUTES), field(hour, HOURS), field(dayOfMonth, DAYS_OF_MONTH),
        field(month, MONTH_BOUNDS), field(dayOfWeek, DAYS_OF_WEEK), null);
  }

  private static Field field(String text, Bounds bounds) {
    BitSet values = new BitSet();
    boolean star = false;
    for (String expression : text.split(",")) {
      if (expression.isEmpty()) {
        continue;
      }
      star |= range(expression, bounds, values);
    }
    return new Field(values, star);
  }

  /** getRange: adds the values of one expression; true when it is a star without a step above 1. */
  private static boolean range(String expression, Bounds bounds, BitSet values) {
    String[] rangeAndStep = expression.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean single = lowAndHigh.length == 1;
    long start;
    long end;
    boolean star = false;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      start = bounds.min();
      end = bounds.max();
      star = true;
    } else {
      start = intOrName(lowAndHigh[0], bounds.names());
      switch (lowAndHigh.length) {
        case 1 -> end = start;
        case 2 -> end = intOrName(lowAndHigh[1], bounds.names());
        default -> throw new IllegalArgumentException("too many hyphens: " + expression);
      }
    }
    long step;
    switch (rangeAndStep.length) {
      case 1 -> step = 1;
      case 2 -> {
        step = number(rangeAndStep[1]);
        if (single) {
          end = bounds.max();
        }
        if (step > 1) {
          star = false;
        }
      }
      default -> throw new IllegalArgumentException("too many slashes: " + expression);
    }
    if (start < bounds.min()) {
      throw new IllegalArgumentException("beginning of range (" + start + ") below minimum (" + bounds.min() + "): "
          + expression);
    }
    if (end > bounds.max()) {
      throw new IllegalArgumentException("end of range (" + end + ") above maximum (" + bounds.max() + "): "
          + expression);
    }
    if (start > end) {
      throw new IllegalArgumentException("beginning of range (" + start + ") beyond end of range (" + end + "): "
          + expression);
    }
    if (step == 0) {
      throw new IllegalArgumentException("step of range should be a positive number: " + expression);
    }
    for (long value = start; value <= end; value += step) {
      values.set((int) value);
    }
    return star;
  }

  private static long intOrName(String text, Map<String, Integer> names) {
    Integer named = names.get(text.toLowerCase(Locale.ROOT));
    return named != null ? named : number(text);
  }

  /** mustParseInt, with strconv.Atoi's error text. */
  private static long number(String text) {
    long value;
    try {
      if (!text.matches("[+-]?[0-9]+")) {
        throw new NumberFormatException();
      }
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      String reason = text.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax";
      throw new IllegalArgumentException("failed to parse int from " + text + ": strconv.Atoi: parsing \""
          + text + "\": " + reason);
    }
    if (value < 0) {
      throw new IllegalArgumentException("negative number (" + value + ") not allowed: " + text);
    }
    return value;
  }

  /**
   * The first activation strictly after a time, in that time's zone (SpecSchedule.Next): null when none comes within
   * five years (e.g. "0 0 30 2 *").
   */
  public ZonedDateTime next(ZonedDateTime after) {
    requireNonNull(after, "after is null");
    if (every != null) {
      Duration period = every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
          : every.truncatedTo(ChronoUnit.SECONDS);
      return after.plus(period).truncatedTo(ChronoUnit.SECONDS);
    }
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = after.plusYears(5);
    while (t.isBefore(limit)) {
      if (!month.values().get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
        continue;
      }
      if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      if (!hour.values().get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (!minute.values().get(t.getMinute())) {
        t = t.plusMinutes(1);
        continue;
      }
      return t;
    }
    return null;
  }

  /** dayMatches: with a star in either day field both must match, otherwise either does. */
  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = dayOfMonth.values().get(t.getDayOfMonth());
    boolean dow = dayOfWeek.values().get(t.getDayOfWeek().getValue() % 7);
    if (dayOfMonth.star() || dayOfWeek.star()) {
      return dom && dow;
    }
    return dom || dow;
  }

  /** Go's time.ParseDuration, for "@every": the units ns, us, µs, ms, s, m, h. */
  static final class GoDuration {
    private GoDuration() {}

    static Duration parse(String text, String descriptor) {
      String error = "failed to parse duration " + descriptor + ": time: invalid duration \"" + text + "\"";
      String s = text;
      boolean negative = false;
      if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
        negative = s.charAt(0) == '-';
        s = s.substring(1);
      }
      if (s.equals("0")) {
        return Duration.ZERO;
      }
      if (s.isEmpty()) {
        throw new IllegalArgumentException(error);
      }
      BigDecimal nanos = BigDecimal.ZERO;
      Matcher m = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)?").matcher(s);
      int at = 0;
      List<String> seen = new ArrayList<>();
      while (at < s.length()) {
        if (!m.find(at) || m.start() != at || m.group().isEmpty()) {
          throw new IllegalArgumentException(error);
        }
        String number = m.group(1);
        String unit = m.group(2);
        if (number.isEmpty() || number.equals(".")) {
          throw new IllegalArgumentException(error);
        }
        if (unit == null) {
          throw new IllegalArgumentException("failed to parse duration " + descriptor
              + ": time: missing unit in duration \"" + text + "\"");
        }
        long scale = switch (unit) {
          case "ns" -> 1L;
          case "us", "µs", "μs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> 3_600_000_000_000L;
        };
        seen.add(unit);
        nanos = nanos.add(new BigDecimal(number.startsWith(".") ? "0" + number : number)
            .multiply(BigDecimal.valueOf(scale)));
        at = m.end();
      }
      Duration duration = Duration.ofNanos(nanos.longValue());
      return negative ? duration.negated() : duration;
    }
  }
}
