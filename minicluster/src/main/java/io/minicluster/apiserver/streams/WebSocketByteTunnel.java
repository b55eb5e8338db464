package io.minicluster.apiserver.streams;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns WebSocket binary messages into one continuous byte stream and back (client-go's tunnelling of SPDY in
 * WebSocket, {@code SPDY/3.1+portforward.k8s.io}): inbound payloads of binary and continuation frames are passed on as
 * bytes, whatever their split; outbound bytes become binary frames. Answers pings and close frames.
 */
final class WebSocketByteTunnel extends ChannelDuplexHandler {

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (message instanceof BinaryWebSocketFrame || message instanceof ContinuationWebSocketFrame) {
      ByteBuf content = ((WebSocketFrame) message).content();
      if (content.isReadable()) {
        context.fireChannelRead(content.retain());
      }
      ReferenceCountUtil.release(message);
    } else if (message instanceof PingWebSocketFrame ping) {
      context.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      ping.release();
    } else if (message instanceof CloseWebSocketFrame close) {
      close.release();
      context.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(future -> context.close());
    } else {
      // text and pong frames carry nothing for the tunnel
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
    if (message instanceof ByteBuf bytes) {
      context.write(new BinaryWebSocketFrame(bytes), promise);
    } else {
      context.write(message, promise);
    }
  }
}
