package io.minicluster.api.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 7, 9, 30, 15, 0, ZoneOffset.UTC);

  @ParameterizedTest(name = "{0} after 2026-12-07T09:30:15Z is {1}")
  @CsvSource(delimiter = '|', value = {
      "*/1 * * * *      | 2026-12-07T09:31Z",
      "* * * * *        | 2026-12-07T09:31Z",
      "*/15 * * * *     | 2026-12-07T09:45Z",
      "0 * * * *        | 2026-12-07T10:00Z",
      "30 9 * * *       | 2026-12-08T09:30Z",
      "0 0 1 jan *      | 2027-01-01T00:00Z",
      "0 12 * * MON-FRI | 2026-12-07T12:00Z",
      "0 0 13 * 5       | 2026-12-11T00:00Z",
      "5-10/2 10 * * *  | 2026-12-07T10:05Z",
      "@hourly          | 2026-12-07T10:00Z",
      "@daily           | 2026-12-08T00:00Z",
      "@weekly          | 2026-12-13T00:00Z",
      "@monthly         | 2027-01-01T00:00Z",
      "@yearly          | 2027-01-01T00:00Z",
      "@every 90s       | 2026-12-07T09:31:45Z",
  })
  void nextActivation(String spec, String expected) {
    assertThat(CronSchedule.parse(spec).next(NOW)).isEqualTo(ZonedDateTime.parse(expected));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "foo           | expected exactly 5 fields, found 1: [foo]",
      "* * * *       | expected exactly 5 fields, found 4: [* * * *]",
      "60 * * * *    | end of range (60) above maximum (59): 60",
      "* * 0 * *     | beginning of range (0) below minimum (1): 0",
      "* * * * 7     | end of range (7) above maximum (6): 7",
      "5-1 * * * *   | beginning of range (5) beyond end of range (1): 5-1",
      "*/0 * * * *   | step of range should be a positive number: */0",
      "1-2-3 * * * * | too many hyphens: 1-2-3",
      "*/2/3 * * * * | too many slashes: */2/3",
      "x * * * *     | failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
      "@often        | unrecognized descriptor: @often",
      "@every x      | failed to parse duration @every x: time: invalid duration \"x\"",
  })
  void parseErrorsAreRobfigCronsMessages(String spec, String message) {
    assertThatThrownBy(() -> CronSchedule.parse(spec)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
