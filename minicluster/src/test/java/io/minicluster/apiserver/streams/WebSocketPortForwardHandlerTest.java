package io.minicluster.apiserver.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The channel framing of WebSocket port-forward, on an embedded channel (a pod without an IP: no network). */
class WebSocketPortForwardHandlerTest {
  private static final String POD = "p_default, uid u1";

  private static EmbeddedChannel started(ChannelEncoding encoding, List<Integer> ports) {
    WebSocketPortForwardHandler handler = new WebSocketPortForwardHandler(encoding, ports, POD, null);
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    handler.start();
    return channel;
  }

  private static byte[] bytes(WebSocketFrame frame) {
    try {
      return ByteBufUtil.getBytes(frame.content());
    } finally {
      frame.release();
    }
  }

  private static String text(WebSocketFrame frame) {
    try {
      return ((TextWebSocketFrame) frame).text();
    } finally {
      frame.release();
    }
  }

  @Test
  void eachPortIsAnnouncedOnItsDataThenErrorChannelLittleEndianThenFailuresGoOnTheErrorChannel() {
    EmbeddedChannel channel = started(ChannelEncoding.BINARY, List.of(80, 8080));

    List<WebSocketFrame> frames = WebSocketTestWire.written(channel);
    assertThat(frames).hasSize(7);
    assertThat(bytes(frames.get(0))).containsExactly(0, 80, 0);
    assertThat(bytes(frames.get(1))).containsExactly(1, 80, 0);
    assertThat(bytes(frames.get(2))).containsExactly(2, 0x90, 0x1F);
    assertThat(bytes(frames.get(3))).containsExactly(3, 0x90, 0x1F);
    assertThat(new String(bytes(frames.get(4)), StandardCharsets.UTF_8))
        .isEqualTo("\u0001error forwarding port 80 to pod " + POD + ": pod has no IP address");
    assertThat(new String(bytes(frames.get(5)), StandardCharsets.UTF_8))
        .isEqualTo("\u0003error forwarding port 8080 to pod " + POD + ": pod has no IP address");
    // every port's connection has ended: the server closes
    assertThat(frames.get(6)).isInstanceOfSatisfying(CloseWebSocketFrame.class,
        close -> assertThat(close.statusCode()).isEqualTo(1000));
    frames.get(6).release();
  }

  @Test
  void base64AnnouncesThePortAsTextFrames() {
    EmbeddedChannel channel = started(ChannelEncoding.BASE64, List.of(80));

    List<WebSocketFrame> frames = WebSocketTestWire.written(channel);
    assertThat(text(frames.get(0))).isEqualTo("0UAA="); // 80 = 0x50 0x00
    assertThat(text(frames.get(1))).isEqualTo("1UAA=");
    assertThat(text(frames.get(2))).isEqualTo("1" + Base64.getEncoder().encodeToString(
        ("error forwarding port 80 to pod " + POD + ": pod has no IP address").getBytes(StandardCharsets.UTF_8)));
    frames.get(3).release();
  }

  @Test
  void pingsAreAnsweredAndTheClientsCloseIsAnsweredThenTheConnectionClosed() {
    EmbeddedChannel channel = started(ChannelEncoding.BINARY, List.of(80, 81));
    // data for a channel whose pod connection has ended, on an error channel, or on no channel: dropped
    channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0, 'x'})));
    channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 'x'})));
    channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {9, 'x'})));
    WebSocketTestWire.written(channel).forEach(WebSocketFrame::release);

    channel.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {7})));
    WebSocketFrame pong = channel.readOutbound();
    assertThat(pong).isInstanceOf(PongWebSocketFrame.class);
    assertThat(bytes(pong)).containsExactly(7);

    channel.writeInbound(new CloseWebSocketFrame(1000, ""));
    assertThat(channel.isOpen()).isFalse();
    assertThat((Object) channel.readInbound()).isNull();
  }
}
