package io.minicluster.socks.server;

import io.minicluster.socks.policy.RefusalReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The server side of SOCKS4 and SOCKS4a: one CONNECT request, answered 0x5A (granted) or 0x5B (rejected). SOCKS4
 * has no password authentication, so it is rejected whenever the gateway requires credentials. The user id and
 * the 4a host name are each bounded to 255 bytes.
 */
final class Socks4Handshake extends SocksHandshakeDecoder {

  static final String NAME = "socks4";

  private static final int MAX_FIELD = 255;
  private static final int HEADER = 8;
  private static final byte GRANTED = 0x5A;
  private static final byte REJECTED = 0x5B;

  private final GatewayContext gateway;

  Socks4Handshake(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    if (connecting()) {
      holdEarlyData(context, in);
      return;
    }
    if (in.readableBytes() < HEADER + 1) {
      return;
    }
    int start = in.readerIndex();
    if (in.getUnsignedByte(start) != 0x04) {
      malformed(context, in, "bad SOCKS4 version");
      return;
    }
    int userIdEnd = in.indexOf(start + HEADER, Math.min(in.writerIndex(), start + HEADER + MAX_FIELD + 1), (byte) 0);
    if (userIdEnd < 0) {
      if (in.readableBytes() > HEADER + MAX_FIELD) {
        malformed(context, in, "SOCKS4 user id too long");
      }
      return;
    }
    byte[] ip = new byte[4];
    in.getBytes(start + 4, ip);
    boolean socks4a = ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0;
    int end = userIdEnd + 1;
    String host = null;
    if (socks4a) {
      int hostEnd = in.indexOf(end, Math.min(in.writerIndex(), end + MAX_FIELD + 1), (byte) 0);
      if (hostEnd < 0) {
        if (in.writerIndex() - end > MAX_FIELD) {
          malformed(context, in, "SOCKS4a host name too long");
        }
        return;
      }
      if (hostEnd == end) {
        malformed(context, in, "empty SOCKS4a host name");
        return;
      }
      host = in.toString(end, hostEnd - end, StandardCharsets.US_ASCII);
      end = hostEnd + 1;
    }
    byte command = in.getByte(start + 1);
    int port = in.getUnsignedShort(start + 2);
    in.readerIndex(end);

    Channel client = context.channel();
    ConnectionContext connection = ConnectionContext.of(client);
    connection.protocol(socks4a ? "SOCKS4a" : "SOCKS4");
    InetAddress address = socks4a ? null : toAddress(ip);
    connection.destination(host, address, port);
    if (command != 0x01) {
      reject(context, in, RefusalReason.COMMAND_NOT_SUPPORTED, "command 0x" + Integer.toHexString(command & 0xFF));
      return;
    }
    if (gateway.config().credentials().isPresent()) {
      reject(context, in, RefusalReason.AUTHENTICATION_FAILED, "SOCKS4 cannot authenticate; use SOCKS5");
      return;
    }
    startConnecting();
    gateway.connector().connect(client, connection.client(), host, address, port, new DestinationConnector.Callback() {
      @Override
      public void connected(Channel upstream) {
        connection.relayedTo(upstream.remoteAddress());
        client.writeAndFlush(reply(GRANTED, port, ip));
        RelayHandler.install(client, upstream, NAME, gateway.metrics());
      }

      @Override
      public void refused(RefusalReason reason, String detail) {
        connection.refuse(reason, detail);
        client.writeAndFlush(reply(REJECTED, port, ip)).addListener(ChannelFutureListener.CLOSE);
      }
    });
  }

  private void reject(ChannelHandlerContext context, ByteBuf in, RefusalReason reason, String detail) {
    in.skipBytes(in.readableBytes());
    ConnectionContext.of(context.channel()).refuse(reason, detail);
    context.channel().config().setAutoRead(false);
    context.writeAndFlush(reply(REJECTED, 0, new byte[4])).addListener(ChannelFutureListener.CLOSE);
  }

  private void malformed(ChannelHandlerContext context, ByteBuf in, String detail) {
    in.skipBytes(in.readableBytes());
    ConnectionContext.of(context.channel()).refuse(RefusalReason.MALFORMED_HANDSHAKE, detail);
    context.close();
  }

  private static ByteBuf reply(byte status, int port, byte[] ip) {
    ByteBuf reply = Unpooled.buffer(8);
    reply.writeByte(0x00).writeByte(status).writeShort(port).writeBytes(ip);
    return reply;
  }

  private static InetAddress toAddress(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
