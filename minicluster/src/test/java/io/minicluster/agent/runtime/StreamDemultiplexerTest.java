package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamDemultiplexerTest {

  private static byte[] frame(int stream, String payload) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(stream);
    out.write(0);
    out.write(0);
    out.write(0);
    out.write(bytes.length >>> 24);
    out.write(bytes.length >>> 16);
    out.write(bytes.length >>> 8);
    out.write(bytes.length);
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Joins consecutive frames of the same stream, so chunking does not matter. */
  private static List<String> merged(List<StreamFrame> frames) {
    List<String> result = new ArrayList<>();
    StreamFrame.Kind last = null;
    for (StreamFrame frame : frames) {
      if (frame.kind() == last) {
        int index = result.size() - 1;
        result.set(index, result.get(index) + frame.text());
      } else {
        result.add(frame.kind() + ":" + frame.text());
        last = frame.kind();
      }
    }
    return result;
  }

  @Test
  void multiplexedFramesAreSplitByStreamInOrder() throws IOException {
    byte[] input = concat(frame(1, "out one\n"), frame(2, "err\n"), frame(1, "out two\n"), frame(0, "in"));
    List<StreamFrame> frames = new ArrayList<>();
    new StreamDemultiplexer(false).feed(input, 0, input.length, frames::add);
    assertThat(frames).extracting(frame -> frame.kind() + ":" + frame.text())
        .containsExactly("STDOUT:out one\n", "STDERR:err\n", "STDOUT:out two\n", "STDOUT:in");
  }

  @Test
  void everySplitPointGivesTheSameStreams() throws IOException {
    byte[] input = concat(frame(1, "alpha"), frame(2, "beta"), frame(1, ""), frame(1, "mid"), frame(2, "gamma\n"),
        frame(1, "z"));
    for (int first = 0; first <= input.length; first++) {
      for (int second = first; second <= input.length; second++) {
        List<StreamFrame> frames = new ArrayList<>();
        StreamDemultiplexer demultiplexer = new StreamDemultiplexer(false);
        demultiplexer.feed(input, 0, first, frames::add);
        demultiplexer.feed(input, first, second - first, frames::add);
        demultiplexer.feed(input, second, input.length - second, frames::add);
        assertThat(merged(frames)).as("split at %d and %d", first, second)
            .containsExactly("STDOUT:alpha", "STDERR:beta", "STDOUT:mid", "STDERR:gamma\n", "STDOUT:z");
        assertThat(demultiplexer.midFrame()).isFalse();
      }
    }
  }

  @Test
  void payloadIsDeliveredBeforeTheFrameIsComplete() throws IOException {
    byte[] input = frame(2, "0123456789");
    List<StreamFrame> frames = new ArrayList<>();
    StreamDemultiplexer demultiplexer = new StreamDemultiplexer(false);
    demultiplexer.feed(input, 0, 12, frames::add);
    assertThat(frames).extracting(StreamFrame::text).containsExactly("0123");
    assertThat(demultiplexer.midFrame()).isTrue();
    demultiplexer.feed(input, 12, input.length - 12, frames::add);
    assertThat(frames).extracting(StreamFrame::text).containsExactly("0123", "456789");
    assertThat(frames).allMatch(frame -> frame.kind() == StreamFrame.Kind.STDERR);
  }

  @Test
  void rawStreamIsAllStdout() throws IOException {
    byte[] input = concat(new byte[] {1, 0, 0, 0, 0, 0, 0, 2}, "hi\r\n".getBytes(StandardCharsets.UTF_8));
    List<StreamFrame> frames = new ArrayList<>();
    StreamDemultiplexer demultiplexer = new StreamDemultiplexer(true);
    demultiplexer.feed(input, 0, input.length, frames::add);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).kind()).isEqualTo(StreamFrame.Kind.STDOUT);
    assertThat(frames.get(0).payload()).isEqualTo(input);
    assertThat(demultiplexer.midFrame()).isFalse();
  }

  @Test
  void deliveredPayloadsAreCopies() throws IOException {
    byte[] input = frame(1, "abc");
    List<StreamFrame> frames = new ArrayList<>();
    new StreamDemultiplexer(false).feed(input, 0, input.length, frames::add);
    input[8] = 'X';
    assertThat(frames.get(0).text()).isEqualTo("abc");
  }

  @Test
  void engineErrorFrameFailsWithItsMessage() {
    byte[] input = concat(frame(1, "partial output"), frame(3, "exec failed: no such file\n"));
    List<StreamFrame> frames = new ArrayList<>();
    assertThatThrownBy(() -> new StreamDemultiplexer(false).feed(input, 0, input.length, frames::add))
        .isInstanceOf(IOException.class).hasMessage("engine error: exec failed: no such file");
    assertThat(frames).extracting(StreamFrame::text).containsExactly("partial output");
  }

  @Test
  void malformedHeaderFails() {
    byte[] input = {7, 0, 0, 0, 0, 0, 0, 1, 'x'};
    assertThatThrownBy(() -> new StreamDemultiplexer(false).feed(input, 0, input.length, frame -> { }))
        .isInstanceOf(IOException.class).hasMessageContaining("malformed");
    byte[] nonZeroPadding = {1, 0, 5, 0, 0, 0, 0, 1, 'x'};
    assertThatThrownBy(() -> new StreamDemultiplexer(false).feed(nonZeroPadding, 0, 9, frame -> { }))
        .isInstanceOf(IOException.class);
  }
}
