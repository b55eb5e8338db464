package io.minicluster.e2e;

import io.minicluster.dns.TestDns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;

/**
 * A one-query DNS client to run in a pod's network namespace ({@code nsenter --net=...}): {@code udp|tcp server name
 * type} sends the query (no EDNS) to {@code server:53} and prints the raw response in hex.
 */
public final class PodNetnsQuery {
  private PodNetnsQuery() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: udp|tcp server name type");
    }
    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(args[1]), 53);
    byte[] query = TestDns.query(1, args[2], Integer.parseInt(args[3]), 0);
    byte[] response = switch (args[0]) {
      case "udp" -> TestDns.udpBytes(server, query);
      case "tcp" -> TestDns.tcpBytes(server, query);
      default -> throw new IllegalArgumentException("transport " + args[0]);
    };
    System.out.println(HexFormat.of().formatHex(response));
  }
}
