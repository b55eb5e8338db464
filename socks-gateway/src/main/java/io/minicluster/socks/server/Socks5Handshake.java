package io.minicluster.socks.server;

import io.minicluster.socks.Credentials;
import io.minicluster.socks.policy.RefusalReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The server side of a SOCKS5 handshake (RFC 1928, RFC 1929): method selection, optional username/password,
 * then one CONNECT request. Every message is size-bounded by the protocol (at most 513 bytes), so a peer cannot
 * make this handler buffer without bound. BIND and UDP ASSOCIATE are answered 0x07, unknown address types 0x08.
 */
final class Socks5Handshake extends SocksHandshakeDecoder {

  static final String NAME = "socks5";

  private enum State { GREETING, PASSWORD, REQUEST }

  private static final int VERSION = 0x05;
  private static final int PASSWORD_VERSION = 0x01;

  private final GatewayContext gateway;
  private State state = State.GREETING;

  Socks5Handshake(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    if (connecting()) {
      holdEarlyData(context, in);
      return;
    }
    switch (state) {
      case GREETING -> readGreeting(context, in);
      case PASSWORD -> readPassword(context, in);
      case REQUEST -> readRequest(context, in);
      default -> throw new IllegalStateException(state.toString());
    }
  }

  private void readGreeting(ChannelHandlerContext context, ByteBuf in) {
    if (in.readableBytes() < 2) {
      return;
    }
    int start = in.readerIndex();
    int methodCount = in.getUnsignedByte(start + 1);
    if (in.getUnsignedByte(start) != VERSION || methodCount == 0) {
      malformed(context, in, "bad SOCKS5 greeting");
      return;
    }
    if (in.readableBytes() < 2 + methodCount) {
      return;
    }
    boolean passwordRequired = gateway.config().credentials().isPresent();
    byte wanted = passwordRequired ? Socks5AuthMethod.PASSWORD.byteValue() : Socks5AuthMethod.NO_AUTH.byteValue();
    boolean offered = false;
    for (int i = 0; i < methodCount; i++) {
      offered |= in.getByte(start + 2 + i) == wanted;
    }
    in.skipBytes(2 + methodCount);
    if (!offered) {
      refuseAndClose(context, in, new byte[] {VERSION, Socks5AuthMethod.UNACCEPTED.byteValue()},
          RefusalReason.NO_ACCEPTABLE_AUTH_METHOD, passwordRequired ? "client did not offer username/password" : null);
      return;
    }
    context.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {VERSION, wanted}));
    state = passwordRequired ? State.PASSWORD : State.REQUEST;
  }

  private void readPassword(ChannelHandlerContext context, ByteBuf in) {
    int start = in.readerIndex();
    if (in.readableBytes() < 2) {
      return;
    }
    if (in.getUnsignedByte(start) != PASSWORD_VERSION) {
      malformed(context, in, "bad username/password version");
      return;
    }
    int usernameLength = in.getUnsignedByte(start + 1);
    if (in.readableBytes() < 2 + usernameLength + 1) {
      return;
    }
    int passwordLength = in.getUnsignedByte(start + 2 + usernameLength);
    if (in.readableBytes() < 3 + usernameLength + passwordLength) {
      return;
    }
    byte[] username = new byte[usernameLength];
    byte[] password = new byte[passwordLength];
    in.skipBytes(2);
    in.readBytes(username);
    in.skipBytes(1);
    in.readBytes(password);
    Credentials credentials = gateway.config().credentials().orElseThrow();
    if (!credentials.matches(username, password)) {
      refuseAndClose(context, in, new byte[] {PASSWORD_VERSION, 0x01}, RefusalReason.AUTHENTICATION_FAILED,
          "user '" + new String(username, StandardCharsets.UTF_8) + "'");
      return;
    }
    context.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {PASSWORD_VERSION, 0x00}));
    state = State.REQUEST;
  }

  private void readRequest(ChannelHandlerContext context, ByteBuf in) {
    int start = in.readerIndex();
    if (in.readableBytes() < 4) {
      return;
    }
    if (in.getUnsignedByte(start) != VERSION) {
      malformed(context, in, "bad SOCKS5 request version");
      return;
    }
    byte command = in.getByte(start + 1);
    byte addressType = in.getByte(start + 3);
    if (command != Socks5CommandType.CONNECT.byteValue()) {
      refuseAndClose(context, in, failureReply(RefusalReason.COMMAND_NOT_SUPPORTED),
          RefusalReason.COMMAND_NOT_SUPPORTED, "command 0x" + Integer.toHexString(command & 0xFF));
      return;
    }
    int addressLength;
    if (addressType == Socks5AddressType.IPv4.byteValue()) {
      addressLength = 4;
    } else if (addressType == Socks5AddressType.IPv6.byteValue()) {
      addressLength = 16;
    } else if (addressType == Socks5AddressType.DOMAIN.byteValue()) {
      if (in.readableBytes() < 5) {
        return;
      }
      addressLength = 1 + in.getUnsignedByte(start + 4);
      if (addressLength == 1) {
        malformed(context, in, "empty domain name");
        return;
      }
    } else {
      refuseAndClose(context, in, failureReply(RefusalReason.ADDRESS_TYPE_NOT_SUPPORTED),
          RefusalReason.ADDRESS_TYPE_NOT_SUPPORTED, "address type 0x" + Integer.toHexString(addressType & 0xFF));
      return;
    }
    if (in.readableBytes() < 4 + addressLength + 2) {
      return;
    }
    in.skipBytes(4);
    String host = null;
    InetAddress address = null;
    if (addressType == Socks5AddressType.DOMAIN.byteValue()) {
      int nameLength = in.readUnsignedByte();
      host = in.readCharSequence(nameLength, StandardCharsets.US_ASCII).toString();
    } else {
      byte[] bytes = new byte[addressLength];
      in.readBytes(bytes);
      try {
        address = InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    int port = in.readUnsignedShort();
    startConnecting();
    Channel client = context.channel();
    ConnectionContext connection = ConnectionContext.of(client);
    connection.destination(host, address, port);
    gateway.connector().connect(client, connection.client(), host, address, port, new DestinationConnector.Callback() {
      @Override
      public void connected(Channel upstream) {
        connection.relayedTo(upstream.remoteAddress());
        client.writeAndFlush(successReply(SocketAddresses.inet(upstream.localAddress())));
        RelayHandler.install(client, upstream, NAME, gateway.metrics());
      }

      @Override
      public void refused(RefusalReason reason, String detail) {
        connection.refuse(reason, detail);
        int code = reason.socks5Code() < 0 ? RefusalReason.GENERAL_FAILURE.socks5Code() : reason.socks5Code();
        client.writeAndFlush(Unpooled.wrappedBuffer(failureReply(code))).addListener(ChannelFutureListener.CLOSE);
      }
    });
  }

  private void malformed(ChannelHandlerContext context, ByteBuf in, String detail) {
    in.skipBytes(in.readableBytes());
    ConnectionContext.of(context.channel()).refuse(RefusalReason.MALFORMED_HANDSHAKE, detail);
    context.close();
  }

  private void refuseAndClose(ChannelHandlerContext context, ByteBuf in, byte[] reply, RefusalReason reason,
      String detail) {
    in.skipBytes(in.readableBytes());
    ConnectionContext.of(context.channel()).refuse(reason, detail);
    context.channel().config().setAutoRead(false);
    context.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
  }

  static byte[] failureReply(RefusalReason reason) {
    return failureReply(reason.socks5Code());
  }

  private static byte[] failureReply(int code) {
    return new byte[] {VERSION, (byte) code, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
  }

  private static ByteBuf successReply(InetSocketAddress bound) {
    InetAddress address = bound.getAddress();
    byte[] addressBytes = address.getAddress();
    ByteBuf reply = Unpooled.buffer(6 + addressBytes.length);
    reply.writeByte(VERSION).writeByte(0x00).writeByte(0x00);
    reply.writeByte(address instanceof Inet4Address ? Socks5AddressType.IPv4.byteValue()
        : Socks5AddressType.IPv6.byteValue());
    reply.writeBytes(addressBytes);
    reply.writeShort(bound.getPort());
    return reply;
  }
}
