package io.minicluster.controller.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleTimesTest {
  private static final Instant CREATED = Instant.parse("2026-01-05T10:00:30Z");

  @Test
  void nothingIsDueBeforeTheFirstScheduledTime() {
    ScheduleTimes times = ScheduleTimes.of("*/5 * * * *", null, ZoneOffset.UTC);
    ScheduleTimes.Recent recent = times.mostRecent(CREATED, null, null, Instant.parse("2026-01-05T10:04:59Z"));
    assertThat(recent.mostRecent()).isNull();
    assertThat(times.untilNext(CREATED, null, Instant.parse("2026-01-05T10:04:00Z")))
        .isEqualTo(Duration.ofSeconds(60).plusMillis(100));
  }

  @Test
  void theMostRecentMissedTimeIsDueAndCountsTheMissedOnes() {
    ScheduleTimes times = ScheduleTimes.of("*/5 * * * *", null, ZoneOffset.UTC);
    ScheduleTimes.Recent recent = times.mostRecent(CREATED, null, null, Instant.parse("2026-01-05T10:17:00Z"));
    assertThat(recent.mostRecent()).isEqualTo(Instant.parse("2026-01-05T10:15:00Z"));
    assertThat(recent.missed()).isEqualTo(3);
    // after it ran, the next one is at 10:20
    assertThat(times.untilNext(CREATED, recent.mostRecent(), Instant.parse("2026-01-05T10:17:00Z")))
        .isEqualTo(Duration.ofMinutes(3).plusMillis(100));
  }

  @Test
  void aDayOfMinutesIsTooManyMissedTimesButTheLatestStillRuns() {
    ScheduleTimes times = ScheduleTimes.of("* * * * *", null, ZoneOffset.UTC);
    ScheduleTimes.Recent recent = times.mostRecent(CREATED, null, null, Instant.parse("2026-01-06T10:00:10Z"));
    assertThat(recent.missed()).isGreaterThan(ScheduleTimes.MANY_MISSED);
    assertThat(recent.mostRecent()).isEqualTo(Instant.parse("2026-01-06T10:00:00Z"));
  }

  @Test
  void startingDeadlineSecondsLeavesOlderTimesOut() {
    ScheduleTimes times = ScheduleTimes.of("0 * * * *", null, ZoneOffset.UTC);
    Instant now = Instant.parse("2026-01-05T12:01:00Z");
    assertThat(times.mostRecent(CREATED, null, 30L, now).mostRecent()).isNull();
    assertThat(times.mostRecent(CREATED, null, 120L, now).mostRecent()).isEqualTo(Instant.parse("2026-01-05T12:00:00Z"));
  }

  @Test
  void macrosAndTimeZonesAreHonoured() {
    ScheduleTimes berlin = ScheduleTimes.of("0 9 * * *", "Europe/Berlin", ZoneOffset.UTC);
    assertThat(berlin.next(CREATED)).isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    ScheduleTimes prefixed = ScheduleTimes.of("TZ=America/New_York 0 9 * * *", null, ZoneOffset.UTC);
    assertThat(prefixed.next(CREATED)).isEqualTo(Instant.parse("2026-01-05T14:00:00Z"));
    ScheduleTimes hourly = ScheduleTimes.of("@hourly", null, ZoneOffset.UTC);
    assertThat(hourly.next(CREATED)).isEqualTo(Instant.parse("2026-01-05T11:00:00Z"));
    assertThatThrownBy(() -> ScheduleTimes.of("0 9 * * *", "Mars/Olympus", ZoneOffset.UTC))
        .hasMessage("unknown time zone Mars/Olympus");
  }

  @Test
  void aScheduleThatNamesNoRealDayIsInvalid() {
    ScheduleTimes times = ScheduleTimes.of("0 0 31 2 *", null, ZoneOffset.UTC);
    assertThat(times.mostRecent(CREATED, null, null, Instant.parse("2027-01-01T00:00:00Z")).mostRecent()).isNull();
  }

  @Test
  void jobNamesCountMinutesSinceTheEpoch() {
    assertThat(CronJobController.jobName("hello", Instant.parse("2026-01-05T10:15:00Z")))
        .isEqualTo("hello-" + Instant.parse("2026-01-05T10:15:00Z").getEpochSecond() / 60);
    assertThat(CronJobController.jobName("x", Instant.ofEpochSecond(120))).isEqualTo("x-2");
  }
}
