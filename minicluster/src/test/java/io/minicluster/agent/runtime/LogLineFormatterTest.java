package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLineFormatterTest {

  private static StreamFrame out(String text) {
    return new StreamFrame(StreamFrame.Kind.STDOUT, text.getBytes(StandardCharsets.UTF_8));
  }

  private static StreamFrame err(String text) {
    return new StreamFrame(StreamFrame.Kind.STDERR, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void timestampsAreRewrittenLikeTheKubelet() {
    LogLineFormatter formatter = new LogLineFormatter(true, null);
    assertThat(formatter.format(out("2024-05-01T10:00:00.123400000Z hello\n")).text())
        .isEqualTo("2024-05-01T10:00:00.1234Z hello\n");
    assertThat(formatter.format(out("2024-05-01T10:00:01.000000000Z whole second\n")).text())
        .isEqualTo("2024-05-01T10:00:01Z whole second\n");
    assertThat(formatter.format(err("2024-05-01T10:00:02.000000007Z e\n")).text())
        .isEqualTo("2024-05-01T10:00:02.000000007Z e\n");
  }

  @Test
  void withoutTimestampsThePrefixIsRemoved() {
    LogLineFormatter formatter = new LogLineFormatter(false, null);
    StreamFrame frame = formatter.format(err("2024-05-01T10:00:00.123456789Z oops\n"));
    assertThat(frame.text()).isEqualTo("oops\n");
    assertThat(frame.kind()).isEqualTo(StreamFrame.Kind.STDERR);
  }

  @Test
  void continuationPiecesOfALongLineCarryNoTimestamp() {
    LogLineFormatter formatter = new LogLineFormatter(true, null);
    assertThat(formatter.format(out("2024-05-01T10:00:00.100000000Z aaaa")).text())
        .isEqualTo("2024-05-01T10:00:00.1Z aaaa");
    assertThat(formatter.format(err("2024-05-01T10:00:00.150000000Z err line\n")).text())
        .as("the other stream is not a continuation").isEqualTo("2024-05-01T10:00:00.15Z err line\n");
    assertThat(formatter.format(out("2024-05-01T10:00:00.200000000Z bbbb")).text()).isEqualTo("bbbb");
    assertThat(formatter.format(out("2024-05-01T10:00:00.300000000Z cc\n")).text()).isEqualTo("cc\n");
    assertThat(formatter.format(out("2024-05-01T10:00:00.400000000Z next\n")).text())
        .isEqualTo("2024-05-01T10:00:00.4Z next\n");
  }

  @Test
  void sinceIsExact() {
    LogLineFormatter formatter = new LogLineFormatter(false, Instant.parse("2024-05-01T10:00:00.500Z"));
    assertThat(formatter.format(out("2024-05-01T10:00:00.499999999Z old\n"))).isNull();
    assertThat(formatter.format(out("2024-05-01T10:00:00.500000000Z new\n")).text()).isEqualTo("new\n");
  }

  @Test
  void messagesWithoutATimestampPassUnchanged() {
    LogLineFormatter formatter = new LogLineFormatter(true, Instant.parse("2030-01-01T00:00:00Z"));
    StreamFrame plain = out("no timestamp here\n");
    assertThat(formatter.format(plain)).isSameAs(plain);
    StreamFrame empty = out("");
    assertThat(formatter.format(empty)).isSameAs(empty);
  }

  @Test
  void formatMatchesGoRfc3339Nano() {
    assertThat(LogLineFormatter.format(Instant.parse("2016-10-06T00:17:09.669794202Z")))
        .isEqualTo("2016-10-06T00:17:09.669794202Z");
    assertThat(LogLineFormatter.format(Instant.parse("2016-10-06T00:17:09.669Z")))
        .isEqualTo("2016-10-06T00:17:09.669Z");
    assertThat(LogLineFormatter.format(Instant.parse("2016-10-06T00:17:09Z"))).isEqualTo("2016-10-06T00:17:09Z");
  }
}
