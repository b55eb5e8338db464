package io.minicluster.apiserver.streams;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** The client's SPDY/3.1 framing (Netty's codec in an embedded channel): frames to bytes and bytes to frames. */
final class SpdyTestWire {
  private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

  byte[] encode(SpdyFrame frame) {
    codec.writeOutbound(frame);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf next;
    while ((next = codec.readOutbound()) != null) {
      out.writeBytes(ByteBufUtil.getBytes(next));
      next.release();
    }
    return out.toByteArray();
  }

  /** Feeds received bytes; returns the frames completed by them. */
  List<Object> decode(byte[] bytes) {
    codec.writeInbound(Unpooled.wrappedBuffer(bytes));
    List<Object> frames = new ArrayList<>();
    Object next;
    while ((next = codec.readInbound()) != null) {
      frames.add(next);
    }
    return frames;
  }
}
