package io.minicluster.apiserver.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

  @ParameterizedTest(name = "{0}ms -> {1}")
  @CsvSource({
      "-3000, <invalid>",
      "-2000, <invalid>",
      "-1999, 0s",
      "-1000, 0s",
      "0, 0s",
      "999, 0s",
      "1000, 1s",
      "59000, 59s",
      "119999, 119s",
      "120000, 2m",
      "121000, 2m1s",
      "190000, 3m10s",
      "599000, 9m59s",
      "600000, 10m",
      "10799000, 179m",
      "10800000, 3h",
      "12600000, 3h30m",
      "28740000, 7h59m",
      "28800000, 8h",
      "169200000, 47h",
      "172800000, 2d",
      "176400000, 2d1h",
      "687600000, 7d23h",
      "691200000, 8d",
      "62985600000, 729d",
      "63072000000, 2y",
      "63158400000, 2y1d",
      "252288000000, 8y",
      "3153600000000, 100y",
  })
  void formatsLikeApimachinery(long milliseconds, String expected) {
    assertThat(HumanDuration.format(Duration.ofMillis(milliseconds))).isEqualTo(expected);
  }

  @Test
  void missingTimestampIsUnknown() {
    assertThat(HumanDuration.since(null, TestObjects.NOW)).isEqualTo("<unknown>");
  }

  @Test
  void sinceMeasuresAgainstNow() {
    Instant created = TestObjects.NOW.minusSeconds(3 * 86400 + 4 * 3600);
    assertThat(HumanDuration.since(created, TestObjects.NOW)).isEqualTo("3d4h");
    assertThat(HumanDuration.since(TestObjects.NOW.plusSeconds(60), TestObjects.NOW)).isEqualTo("<invalid>");
  }
}
