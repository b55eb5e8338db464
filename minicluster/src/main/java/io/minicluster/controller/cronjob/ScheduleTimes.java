package io.minicluster.controller.cronjob;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.batch.CronSchedule;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The CronJob controller's time arithmetic (mostRecentScheduleTime, nextScheduleTimeDuration): which scheduled time,
 * if any, is due now, and when to look again. A schedule is evaluated in the CronJob's timeZone, in the zone of a
 * {@code TZ=}/{@code CRON_TZ=} prefix, or else in the controller's local zone, as upstream does.
 */
final class ScheduleTimes {
  /** Upstream's nextScheduleDelta: a margin against clock skew when waiting for the next time. */
  static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);
  /** More missed times than this is "too many". */
  static final int MANY_MISSED = 100;

  /**
   * @param earliest the last schedule time, else the creation time (moved up to now - startingDeadlineSeconds)
   * @param mostRecent the latest scheduled time at or before now and after {@code earliest}, or null
   * @param missed roughly how many times were missed since {@code earliest}
   */
  record Recent(Instant earliest, Instant mostRecent, long missed) {}

  private final CronSchedule schedule;
  private final ZoneId zone;

  private ScheduleTimes(CronSchedule schedule, ZoneId zone) {
    this.schedule = schedule;
    this.zone = zone;
  }

  /**
   * The times of a schedule (formatSchedule): the zone of a TZ prefix, else of {@code timeZone}, else
   * {@code localZone}.
   *
   * @throws IllegalArgumentException with robfig/cron's message when the schedule does not parse, or when the
   *     timeZone is unknown ("unknown time zone X")
   */
  static ScheduleTimes of(String schedule, String timeZone, ZoneId localZone) {
    requireNonNull(schedule, "schedule is null");
    requireNonNull(localZone, "localZone is null");
    ZoneId zone = localZone;
    String trimmed = schedule.trim();
    if (trimmed.startsWith("TZ=") || trimmed.startsWith("CRON_TZ=")) {
      int space = trimmed.indexOf(' ');
      zone = zone(space < 0 ? trimmed.substring(trimmed.indexOf('=') + 1)
          : trimmed.substring(trimmed.indexOf('=') + 1, space));
    } else if (timeZone != null) {
      zone = zone(timeZone);
    }
    return new ScheduleTimes(CronSchedule.parse(schedule), zone);
  }

  private static ZoneId zone(String name) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone " + name);
    }
  }

  ZoneId zone() {
    return zone;
  }

  /** The first scheduled time strictly after a time, or null when none comes within five years. */
  Instant next(Instant after) {
    ZonedDateTime next = schedule.next(after.atZone(zone));
    return next == null ? null : next.toInstant();
  }

  /**
   * mostRecentScheduleTime.
   *
   * @param lastScheduleTime status.lastScheduleTime or null
   * @param startingDeadlineSeconds the deadline to honour, or null
   * @throws IllegalArgumentException "time difference between two schedules is less than 1 second" for schedules
   *     that name no real time
   */
  Recent mostRecent(Instant created, Instant lastScheduleTime, Long startingDeadlineSeconds, Instant now) {
    Instant earliest = lastScheduleTime != null ? lastScheduleTime : created;
    if (startingDeadlineSeconds != null) {
      Instant deadline = now.minusSeconds(startingDeadlineSeconds);
      if (deadline.isAfter(earliest)) {
        earliest = deadline;
      }
    }
    Instant first = next(earliest);
    if (first == null || now.isBefore(first)) {
      return new Recent(earliest, null, 0);
    }
    Instant second = next(first);
    if (second == null || now.isBefore(second)) {
      return new Recent(earliest, first, 0);
    }
    long between = Math.round(Duration.between(first, second).toMillis() / 1000.0);
    if (between < 1) {
      throw new IllegalArgumentException("time difference between two schedules is less than 1 second");
    }
    long missed = Duration.between(first, now).getSeconds() / between + 1;
    // start a little before the estimated last time and walk to now, which is exact for irregular schedules too
    Instant potentialEarliest = first.plusSeconds((missed - 2) * between);
    Instant mostRecent = null;
    for (Instant t = next(potentialEarliest); t != null && !t.isAfter(now); t = next(t)) {
      mostRecent = t;
    }
    return new Recent(earliest, mostRecent, missed);
  }

  /** nextScheduleTimeDuration: how long until the time after the most recent one, plus a small margin. */
  Duration untilNext(Instant created, Instant lastScheduleTime, Instant now) {
    Instant from;
    try {
      Recent recent = mostRecent(created, lastScheduleTime, null, now);
      if (recent.mostRecent() != null) {
        from = recent.mostRecent();
      } else {
        from = recent.missed() == 0 ? recent.earliest() : now;
      }
    } catch (IllegalArgumentException e) {
      from = now;
    }
    Instant next = next(from);
    return next == null ? null : Duration.between(now, next).plus(NEXT_SCHEDULE_DELTA);
  }
}
