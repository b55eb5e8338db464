package io.minicluster.socks.server;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/** Helpers for channel addresses, which are not always IP sockets (in-memory channels in tests). */
final class SocketAddresses {

  private static final InetSocketAddress UNSPECIFIED =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private SocketAddresses() {
  }

  static InetSocketAddress inet(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet;
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0);
    } catch (UnknownHostException e) {
      return UNSPECIFIED;
    }
  }

  static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return NetUtil.toSocketAddressString(inet);
    }
    return String.valueOf(address);
  }
}
