package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * How the Kubernetes channel protocols over WebSocket frame a message (the apiserver's wsstream): the channel number
 * comes first, then the data. {@link #BINARY} ({@code channel.k8s.io}, {@code v4.channel.k8s.io}, ...) sends binary
 * frames whose first byte is the channel; {@link #BASE64} ({@code base64.channel.k8s.io},
 * {@code v4.base64.channel.k8s.io}) sends text frames whose first character is the channel digit ('0' + channel)
 * followed by the data in standard base64. Incoming messages are read the same way whatever their frame type, text
 * or binary, as the apiserver does.
 */
enum ChannelEncoding {
  BINARY,
  BASE64;

  /** One message on a channel. */
  record Message(int channel, byte[] data) {
    Message {
      requireNonNull(data, "data is null");
    }
  }

  /** The message carrying {@code data} on {@code channel}; takes over {@code data} (released here or by the frame). */
  WebSocketFrame frame(int channel, ByteBuf data) {
    if (this == BINARY) {
      return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) channel}),
          data));
    }
    try {
      String text = (char) ('0' + channel) + Base64.getEncoder().encodeToString(ByteBufUtil.getBytes(data));
      return new TextWebSocketFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII)));
    } finally {
      data.release();
    }
  }

  WebSocketFrame frame(int channel, byte[] data) {
    return frame(channel, Unpooled.wrappedBuffer(data));
  }

  /**
   * Reads a whole text or binary message; empty when it has no channel (an empty message) or its base64 is invalid
   * (the apiserver drops both). Does not release {@code frame}.
   */
  Optional<Message> read(WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (!content.isReadable()) {
      return Optional.empty();
    }
    int first = content.getUnsignedByte(content.readerIndex());
    byte[] rest = ByteBufUtil.getBytes(content, content.readerIndex() + 1, content.readableBytes() - 1);
    if (this == BINARY) {
      return Optional.of(new Message(first, rest));
    }
    try {
      // the digit's byte minus '0', wrapping as the apiserver's byte arithmetic does
      return Optional.of(new Message((first - '0') & 0xFF, Base64.getDecoder().decode(rest)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
