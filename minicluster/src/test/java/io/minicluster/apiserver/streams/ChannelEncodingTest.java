package io.minicluster.apiserver.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelEncodingTest {

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<ChannelEncoding.Message> read(ChannelEncoding encoding, WebSocketFrame frame) {
    try {
      return encoding.read(frame);
    } finally {
      frame.release();
    }
  }

  @Test
  void binaryFramesStartWithTheChannelByte() {
    WebSocketFrame frame = ChannelEncoding.BINARY.frame(2, bytes("oops"));
    try {
      assertThat(frame).isInstanceOf(BinaryWebSocketFrame.class);
      assertThat(ByteBufUtil.getBytes(frame.content())).containsExactly(2, 'o', 'o', 'p', 's');
    } finally {
      frame.release();
    }
  }

  @Test
  void base64FramesAreTextWithTheChannelDigitThenBase64() {
    // the apiserver's example: "\n" on channel 1 is "1Cg=="
    WebSocketFrame frame = ChannelEncoding.BASE64.frame(1, bytes("\n"));
    WebSocketFrame empty = ChannelEncoding.BASE64.frame(3, new byte[0]);
    try {
      assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
      assertThat(((TextWebSocketFrame) frame).text()).isEqualTo("1Cg==");
      assertThat(((TextWebSocketFrame) empty).text()).isEqualTo("3");
    } finally {
      frame.release();
      empty.release();
    }
  }

  @Test
  void binaryReadsTextAndBinaryMessagesAlike() {
    ChannelEncoding.Message fromText = read(ChannelEncoding.BINARY, new TextWebSocketFrame("\u0000foo\n")).get();
    ChannelEncoding.Message fromBinary = read(ChannelEncoding.BINARY,
        new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 255, 0}))).get();

    assertThat(fromText.channel()).isZero();
    assertThat(fromText.data()).isEqualTo(bytes("foo\n"));
    assertThat(fromBinary.channel()).isEqualTo(255);
    assertThat(fromBinary.data()).containsExactly(0);
  }

  @Test
  void base64DecodesTheDataOfTextAndBinaryMessages() {
    // the apiserver's example: "foo\n" on stdin is "0Zm9vCg=="
    ChannelEncoding.Message text = read(ChannelEncoding.BASE64, new TextWebSocketFrame("0Zm9vCg==")).get();
    ChannelEncoding.Message binary = read(ChannelEncoding.BASE64,
        new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes("4e30=")))).get();

    assertThat(text.channel()).isZero();
    assertThat(text.data()).isEqualTo(bytes("foo\n"));
    assertThat(binary.channel()).isEqualTo(4);
    assertThat(binary.data()).isEqualTo(bytes("{}"));
  }

  @Test
  void base64ChannelIsTheCharacterMinusZeroAsAByte() {
    assertThat(read(ChannelEncoding.BASE64, new TextWebSocketFrame("/")).get().channel()).isEqualTo(255);
    assertThat(read(ChannelEncoding.BASE64, new TextWebSocketFrame("9")).get().channel()).isEqualTo(9);
  }

  @Test
  void emptyMessagesAndInvalidBase64AreDropped() {
    assertThat(read(ChannelEncoding.BINARY, new BinaryWebSocketFrame())).isEmpty();
    assertThat(read(ChannelEncoding.BASE64, new TextWebSocketFrame(""))).isEmpty();
    assertThat(read(ChannelEncoding.BASE64, new TextWebSocketFrame("0not base64!"))).isEmpty();
  }

  @Test
  void readingLeavesTheFrameUntouched() {
    WebSocketFrame frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 'x'}));
    try {
      ChannelEncoding.BINARY.read(frame);
      assertThat(frame.refCnt()).isEqualTo(1);
      assertThat(frame.content().readableBytes()).isEqualTo(2);
    } finally {
      frame.release();
    }
  }
}
