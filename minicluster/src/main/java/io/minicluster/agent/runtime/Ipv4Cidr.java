package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

/**
 * An IPv4 CIDR block such as {@code 10.244.0.0/16}.
 *
 * @param address the network address (host bits zero)
 * @param prefixLength prefix length, 8..30 (room for a gateway and pods)
 */
public record Ipv4Cidr(long address, int prefixLength) {
  public Ipv4Cidr {
    if (prefixLength < 8 || prefixLength > 30) {
      throw new IllegalArgumentException("prefix length must be between 8 and 30: " + prefixLength);
    }
    if ((address & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException("host bits set in network address " + format(address) + "/" + prefixLength);
    }
  }

  /** Parses "a.b.c.d/n". */
  public static Ipv4Cidr parse(String cidr) {
    requireNonNull(cidr, "cidr is null");
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR (missing /prefix): " + cidr);
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException malformed) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    return new Ipv4Cidr(parseAddress(cidr.substring(0, slash)), prefix);
  }

  /** Parses a dotted IPv4 address into an unsigned 32-bit value. */
  public static long parseAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  /** A dotted IPv4 address of an unsigned 32-bit value. */
  public static String format(long address) {
    return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "."
        + (address & 0xff);
  }

  private static long mask(int prefixLength) {
    return (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
  }

  /** The first host address, used as the bridge gateway (10.244.0.1 for 10.244.0.0/16). */
  public String gateway() {
    return format(address + 1);
  }

  public boolean contains(String ipAddress) {
    return (parseAddress(ipAddress) & mask(prefixLength)) == address;
  }

  @Override
  public String toString() {
    return format(address) + "/" + prefixLength;
  }
}
