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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The WebSocket side the exec and port-forward handlers share: messages, ping, and both closing handshakes. */
class ChannelProtocolHandlerTest {

  /** Records what the shared handler hands over. */
  private static final class Recording extends ChannelProtocolHandler {
    final List<String> events = new ArrayList<>();

    Recording(ChannelEncoding encoding) {
      super("test", encoding);
    }

    @Override
    void onMessage(ChannelEncoding.Message message) {
      events.add(message.channel() + ":" + new String(message.data(), StandardCharsets.UTF_8));
    }

    @Override
    void onClientClose() {
      events.add("client close");
    }
  }

  private final Recording handler = new Recording(ChannelEncoding.BINARY);
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  private static void assertOneCloseFrame(List<WebSocketFrame> frames) {
    assertThat(frames).singleElement().isInstanceOfSatisfying(CloseWebSocketFrame.class, close -> {
      assertThat(close.statusCode()).isEqualTo(1000);
      assertThat(close.reasonText()).isEmpty();
    });
    frames.forEach(WebSocketFrame::release);
  }

  @Test
  void textAndBinaryMessagesAreReadAlikeAndEveryInboundFrameIsReleased() {
    BinaryWebSocketFrame binary = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0, 'a'}));
    TextWebSocketFrame text = new TextWebSocketFrame("\u0004b");
    BinaryWebSocketFrame empty = new BinaryWebSocketFrame();
    PongWebSocketFrame pong = new PongWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1}));

    channel.writeInbound(binary, text, empty, pong);

    assertThat(handler.events).containsExactly("0:a", "4:b");
    assertThat(binary.refCnt()).isZero();
    assertThat(text.refCnt()).isZero();
    assertThat(pong.refCnt()).isZero();
    assertThat(WebSocketTestWire.written(channel)).isEmpty();
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void aBase64ConnectionDecodesItsMessages() {
    Recording base64 = new Recording(ChannelEncoding.BASE64);

    new EmbeddedChannel(base64).writeInbound(new TextWebSocketFrame("0aGk="));

    assertThat(base64.events).containsExactly("0:hi");
  }

  @Test
  void aPingIsAnsweredWithAPongCarryingTheSamePayload() {
    PingWebSocketFrame ping = new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {7, 8, 9}));

    channel.writeInbound(ping);

    List<WebSocketFrame> frames = WebSocketTestWire.written(channel);
    assertThat(frames).singleElement().isInstanceOf(PongWebSocketFrame.class);
    assertThat(ByteBufUtil.getBytes(frames.get(0).content())).containsExactly(7, 8, 9);
    frames.get(0).release();
    assertThat(ping.refCnt()).isZero();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void theClientsCloseEndsItsSideIsAnsweredWithACloseFrameAndClosesTheConnection() {
    CloseWebSocketFrame close = new CloseWebSocketFrame(1000, "bye");

    channel.writeInbound(close);

    assertThat(handler.events).containsExactly("client close");
    assertThat(handler.closeSent()).isTrue();
    assertOneCloseFrame(WebSocketTestWire.written(channel));
    assertThat(close.refCnt()).isZero();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void afterOurCloseTheClientsAnswerClosesTheConnectionWithoutASecondCloseFrame() {

    handler.sendClose(channel);
    handler.sendClose(channel);
    assertOneCloseFrame(WebSocketTestWire.written(channel));
    assertThat(channel.isOpen()).isTrue();

    channel.writeInbound(new CloseWebSocketFrame(1000, ""));

    assertThat(handler.events).containsExactly("client close");
    assertThat(WebSocketTestWire.written(channel)).isEmpty();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void withoutTheClientsAnswerTheConnectionIsClosedAfterTheCloseWait() {
    channel.freezeTime();

    handler.sendClose(channel);
    assertOneCloseFrame(WebSocketTestWire.written(channel));
    channel.advanceTimeBy(ChannelProtocolHandler.CLOSE_WAIT_MILLIS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.events).isEmpty();
  }

  @Test
  void aClosedConnectionGetsNoCloseFrame() {
    channel.close();

    handler.sendClose(channel);

    assertThat(handler.closeSent()).isFalse();
    assertThat(WebSocketTestWire.written(channel)).isEmpty();
  }

  @Test
  void anErrorClosesTheConnection() {

    channel.pipeline().fireExceptionCaught(new IOException("reset"));

    assertThat(channel.isOpen()).isFalse();
  }
}
