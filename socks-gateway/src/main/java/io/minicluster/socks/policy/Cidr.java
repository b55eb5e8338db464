package io.minicluster.socks.policy;

import static java.util.Objects.requireNonNull;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network in CIDR notation. Host bits of the network address are cleared on construction, so
 * {@code 10.1.2.3/8} equals {@code 10.0.0.0/8}. Parsing never touches DNS.
 */
public record Cidr(InetAddress network, int prefixLength) {

  public Cidr {
    requireNonNull(network, "network is null");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + bits);
    }
    network = mask(network, prefixLength);
  }

  /** Parses {@code 10.0.0.0/8}, {@code fd00::/8}, or a bare address (a /32 or /128). */
  public static Cidr parse(String text) {
    requireNonNull(text, "text is null");
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    InetAddress address = parseAddressLiteral(addressText);
    if (address == null) {
      throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'");
    }
    int bits = address.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
    }
    return new Cidr(address, prefix);
  }

  /** Parses an IPv4 or IPv6 literal (IPv6 optionally in brackets); returns null for anything else. */
  public static InetAddress parseAddressLiteral(String text) {
    String literal = text;
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean isIpv4() {
    return network instanceof Inet4Address;
  }

  /** True if the address lies in this network (IPv4 and IPv6 never match each other). */
  public boolean contains(InetAddress address) {
    requireNonNull(address, "address is null");
    byte[] candidate = address.getAddress();
    byte[] own = network.getAddress();
    if (candidate.length != own.length) {
      return false;
    }
    return matchesPrefix(own, candidate, prefixLength);
  }

  /** True if every address of {@code other} lies in this network. */
  public boolean contains(Cidr other) {
    return other.prefixLength >= prefixLength && contains(other.network);
  }

  /** The dotted netmask for IPv4 networks, as PAC {@code isInNet} wants it. */
  public String ipv4Netmask() {
    if (!isIpv4()) {
      throw new IllegalStateException("not an IPv4 network: " + this);
    }
    long mask = prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
    return ((mask >> 24) & 0xFF) + "." + ((mask >> 16) & 0xFF) + "." + ((mask >> 8) & 0xFF) + "." + (mask & 0xFF);
  }

  public String networkText() {
    return NetUtil.toAddressString(network);
  }

  @Override
  public String toString() {
    return networkText() + "/" + prefixLength;
  }

  private static boolean matchesPrefix(byte[] network, byte[] candidate, int prefix) {
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (network[i] != candidate[i]) {
        return false;
      }
    }
    int remaining = prefix % 8;
    if (remaining == 0) {
      return true;
    }
    int mask = (0xFF << (8 - remaining)) & 0xFF;
    return (network[fullBytes] & mask) == (candidate[fullBytes] & mask);
  }

  private static InetAddress mask(InetAddress address, int prefix) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int bitsInByte = Math.max(0, Math.min(8, prefix - i * 8));
      int mask = bitsInByte == 0 ? 0 : (0xFF << (8 - bitsInByte)) & 0xFF;
      bytes[i] = (byte) (bytes[i] & mask);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
