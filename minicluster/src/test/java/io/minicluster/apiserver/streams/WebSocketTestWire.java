package io.minicluster.apiserver.streams;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Client-side WebSocket framing (masked frames out, server frames in) for raw-socket tests. */
final class WebSocketTestWire {
  private final EmbeddedChannel codec = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 24),
      new WebSocket13FrameEncoder(true));

  /** The frames a handler on an embedded channel has written, in order; the caller releases them. */
  static List<WebSocketFrame> written(EmbeddedChannel channel) {
    List<WebSocketFrame> frames = new ArrayList<>();
    WebSocketFrame frame;
    while ((frame = channel.readOutbound()) != null) {
      frames.add(frame);
    }
    return frames;
  }

  byte[] binary(byte[] payload) {
    codec.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf next;
    while ((next = codec.readOutbound()) != null) {
      out.writeBytes(ByteBufUtil.getBytes(next));
      next.release();
    }
    return out.toByteArray();
  }

  /** Feeds received bytes; returns the payloads of the binary frames completed by them. */
  List<byte[]> binaryPayloads(byte[] bytes) {
    codec.writeInbound(Unpooled.wrappedBuffer(bytes));
    List<byte[]> payloads = new ArrayList<>();
    WebSocketFrame frame;
    while ((frame = codec.readInbound()) != null) {
      if (frame instanceof BinaryWebSocketFrame) {
        payloads.add(ByteBufUtil.getBytes(frame.content()));
      }
      frame.release();
    }
    return payloads;
  }
}
