package io.minicluster.dns;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP literals, parsed without ever asking a resolver (for the wiring, too: Kubernetes gives IPs as strings). */
public final class IpAddresses {
  private IpAddresses() {
  }

  /** Whether {@code text} is an IPv4 or IPv6 literal. */
  public static boolean isLiteral(String text) {
    return NetUtil.isValidIpV4Address(text) || NetUtil.isValidIpV6Address(text);
  }

  /** The address an IPv4 or IPv6 literal denotes; IllegalArgumentException for anything else. */
  public static InetAddress parse(String literal) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }
}
