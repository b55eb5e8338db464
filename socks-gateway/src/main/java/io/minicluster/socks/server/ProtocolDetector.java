package io.minicluster.socks.server;

import io.minicluster.socks.policy.RefusalReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Looks at the first byte: 0x05 is SOCKS5, 0x04 is SOCKS4/4a, an upper-case ASCII letter starts an HTTP method
 * (GET, CONNECT, ...). Anything else (a TLS ClientHello, an SSH banner, noise) closes the connection at once rather
 * than holding it until the handshake timeout.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

  static final String NAME = "protocol-detector";

  private final GatewayContext gateway;

  ProtocolDetector(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    if (!in.isReadable()) {
      return;
    }
    byte first = in.getByte(in.readerIndex());
    ChannelPipeline pipeline = context.pipeline();
    ConnectionContext connection = ConnectionContext.of(context.channel());
    if (first == 0x05) {
      connection.protocol("SOCKS5");
      pipeline.addAfter(context.name(), Socks5Handshake.NAME, new Socks5Handshake(gateway));
    } else if (first == 0x04) {
      connection.protocol("SOCKS4");
      pipeline.addAfter(context.name(), Socks4Handshake.NAME, new Socks4Handshake(gateway));
    } else if (first >= 'A' && first <= 'Z') {
      connection.protocol("HTTP");
      pipeline.addAfter(context.name(), HttpFrontHandler.CODEC, HttpFrontHandler.newServerCodec());
      pipeline.addAfter(HttpFrontHandler.CODEC, HttpFrontHandler.NAME, new HttpFrontHandler(gateway));
    } else {
      in.skipBytes(in.readableBytes());
      connection.refuse(RefusalReason.MALFORMED_HANDSHAKE,
          String.format("first byte 0x%02x is neither SOCKS nor HTTP", first & 0xFF));
      context.close();
      return;
    }
    pipeline.remove(this);
  }
}
