package io.minicluster.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Facts about this host used for certificates and the Node object. */
public final class HostInfo {
  private HostInfo() {}

  public static String hostName() {
    String env = System.getenv("HOSTNAME");
    try {
      String name = InetAddress.getLocalHost().getHostName();
      if (name != null && !name.isEmpty()) {
        return name.toLowerCase(Locale.ROOT);
      }
    } catch (UnknownHostException e) {
      // fall through
    }
    return env == null || env.isEmpty() ? "localhost" : env.toLowerCase(Locale.ROOT);
  }

  /** Non-loopback addresses of up interfaces, IPv4 first, excluding Docker bridges and veths. */
  public static List<InetAddress> addresses() {
    List<InetAddress> v4 = new ArrayList<>();
    List<InetAddress> v6 = new ArrayList<>();
    try {
      for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        String name = network.getName();
        if (!network.isUp() || network.isLoopback() || name.startsWith("docker") || name.startsWith("br-")
            || name.startsWith("veth")) {
          continue;
        }
        for (InetAddress address : Collections.list(network.getInetAddresses())) {
          if (address.isLinkLocalAddress()) {
            continue;
          }
          (address instanceof Inet4Address ? v4 : v6).add(address);
        }
      }
    } catch (SocketException e) {
      // no interfaces visible
    }
    List<InetAddress> result = new ArrayList<>(v4);
    result.addAll(v6);
    return result;
  }

  /** The node's primary IPv4 address, or 127.0.0.1. */
  public static String primaryAddress() {
    for (InetAddress address : addresses()) {
      if (address instanceof Inet4Address) {
        return address.getHostAddress();
      }
    }
    return "127.0.0.1";
  }
}
