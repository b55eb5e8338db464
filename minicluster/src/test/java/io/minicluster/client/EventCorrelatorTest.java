package io.minicluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
  private final EventCorrelator correlator = new EventCorrelator();

  private static EventCorrelator.Occurrence pod(String name, String reason, String message) {
    return new EventCorrelator.Occurrence("default-scheduler", "", "Pod", "default", name, "uid-" + name, "v1", "",
        "Warning", reason, message);
  }

  /** Correlates and, unless skipped, reports the object as written under the name "event-N". */
  private EventCorrelator.Decision record(EventCorrelator.Occurrence occurrence, int n) {
    EventCorrelator.Decision decision = correlator.correlate(occurrence, clock.instant());
    if (!decision.skip()) {
      String name = decision.existingName() != null ? decision.existingName() : "event-" + n;
      correlator.recorded(decision.key(), name, decision.count(), decision.firstTimestamp());
    }
    return decision;
  }

  @Test
  void theSameEventAgainCountsUpTheFirstObject() {
    EventCorrelator.Occurrence unschedulable = pod("web", "FailedScheduling", "0/1 nodes are available");
    EventCorrelator.Decision first = record(unschedulable, 1);
    assertThat(first.existingName()).isNull();
    assertThat(first.count()).isEqualTo(1);
    Instant firstTime = clock.instant();
    for (int i = 2; i <= 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      EventCorrelator.Decision again = record(unschedulable, i);
      assertThat(again.existingName()).isEqualTo("event-1");
      assertThat(again.count()).isEqualTo(i);
      assertThat(again.firstTimestamp()).isEqualTo(firstTime);
      assertThat(again.occurrence().message()).isEqualTo("0/1 nodes are available");
    }
  }

  @Test
  void tenSimilarEventsWithinTenMinutesAreCombined() {
    for (int i = 1; i <= 9; i++) {
      EventCorrelator.Decision decision = record(pod("web", "BackOff", "attempt " + i), i);
      assertThat(decision.existingName()).isNull();
      assertThat(decision.occurrence().message()).isEqualTo("attempt " + i);
    }
    EventCorrelator.Decision tenth = record(pod("web", "BackOff", "attempt 10"), 10);
    assertThat(tenth.existingName()).isNull();
    assertThat(tenth.occurrence().message()).isEqualTo("(combined from similar events): attempt 10");
    EventCorrelator.Decision eleventh = record(pod("web", "BackOff", "attempt 11"), 11);
    assertThat(eleventh.existingName()).isEqualTo("event-10");
    assertThat(eleventh.count()).isEqualTo(2);
    assertThat(eleventh.occurrence().message()).isEqualTo("(combined from similar events): attempt 11");
    // another reason, or another object, is not similar
    assertThat(record(pod("web", "Pulled", "attempt 12"), 12).existingName()).isNull();
    assertThat(record(pod("db", "BackOff", "attempt 13"), 13).occurrence().message()).isEqualTo("attempt 13");
  }

  @Test
  void similarEventsFurtherApartThanTenMinutesAreNotCombined() {
    for (int i = 1; i <= 20; i++) {
      clock.advance(Duration.ofMinutes(11));
      assertThat(record(pod("web", "BackOff", "attempt " + i), i).occurrence().message()).isEqualTo("attempt " + i);
    }
  }

  @Test
  void aSourceMayBurst25EventsAboutAnObjectThenOneEveryFiveMinutes() {
    for (int i = 1; i <= 25; i++) {
      assertThat(record(pod("web", "Reason" + i, "m"), i).skip()).as("event %s", i).isFalse();
    }
    assertThat(record(pod("web", "Reason26", "m"), 26).skip()).isTrue();
    // the same source about another object has its own budget
    assertThat(record(pod("other", "Reason1", "m"), 27).skip()).isFalse();
    clock.advance(Duration.ofSeconds(299));
    assertThat(record(pod("web", "Reason28", "m"), 28).skip()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(record(pod("web", "Reason29", "m"), 29).skip()).isFalse();
    assertThat(record(pod("web", "Reason30", "m"), 30).skip()).isTrue();
  }

  @Test
  void countsGoOnWhileFiltered() {
    EventCorrelator.Occurrence crash = pod("web", "BackOff", "Back-off restarting failed container");
    for (int i = 1; i <= 25; i++) {
      assertThat(record(crash, i).skip()).isFalse();
    }
    assertThat(record(crash, 26).skip()).isTrue();
    assertThat(record(crash, 27).skip()).isTrue();
    clock.advance(Duration.ofMinutes(5));
    EventCorrelator.Decision next = record(crash, 28);
    assertThat(next.skip()).isFalse();
    assertThat(next.existingName()).isEqualTo("event-1");
    assertThat(next.count()).isEqualTo(28);
  }
}
