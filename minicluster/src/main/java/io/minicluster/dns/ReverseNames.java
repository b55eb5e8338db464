package io.minicluster.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Reverse names (RFC 1035 section 3.5, RFC 3596 section 2.5) to addresses. */
final class ReverseNames {
  private ReverseNames() {
  }

  /** The address a full reverse name denotes ({@code 4.3.2.1.in-addr.arpa}, 32 nibbles in ip6.arpa), else null. */
  static InetAddress address(String canonicalName) {
    try {
      if (canonicalName.endsWith(".in-addr.arpa")) {
        String[] labels = canonicalName.substring(0, canonicalName.length() - ".in-addr.arpa".length()).split("\\.");
        if (labels.length != 4) {
          return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          String label = labels[3 - i];
          if (label.isEmpty() || label.length() > 3 || !label.chars().allMatch(Character::isDigit)
              || label.length() > 1 && label.charAt(0) == '0') {
            return null;
          }
          int value = Integer.parseInt(label);
          if (value > 255) {
            return null;
          }
          bytes[i] = (byte) value;
        }
        return InetAddress.getByAddress(bytes);
      }
      if (canonicalName.endsWith(".ip6.arpa")) {
        String[] labels = canonicalName.substring(0, canonicalName.length() - ".ip6.arpa".length()).split("\\.");
        if (labels.length != 32) {
          return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 32; i++) {
          String label = labels[31 - i];
          if (label.length() != 1 || Character.digit(label.charAt(0), 16) < 0) {
            return null;
          }
          int nibble = Character.digit(label.charAt(0), 16);
          bytes[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
        }
        return InetAddress.getByAddress(bytes);
      }
      return null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The reverse name of an address, without the final dot. */
  static String of(InetAddress ip) {
    byte[] bytes = ip.getAddress();
    StringBuilder name = new StringBuilder();
    if (bytes.length == 4) {
      for (int i = 3; i >= 0; i--) {
        name.append(bytes[i] & 0xFF).append('.');
      }
      return name.append("in-addr.arpa").toString();
    }
    for (int i = 15; i >= 0; i--) {
      name.append(Character.forDigit(bytes[i] & 0xF, 16)).append('.')
          .append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append('.');
    }
    return name.append("ip6.arpa").toString();
  }
}
