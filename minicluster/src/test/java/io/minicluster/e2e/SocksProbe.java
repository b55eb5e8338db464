package io.minicluster.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal SOCKS client that sends one CONNECT to a gateway on loopback and returns the reply code, so tests can
 * tell a policy refusal (SOCKS5 0x02, "connection not allowed by ruleset") from a failed connection attempt (0x04
 * host unreachable, 0x05 connection refused). The probe closes the tunnel without sending anything through it.
 */
final class SocksProbe {
  static final int SOCKS5_SUCCEEDED = 0x00;
  static final int SOCKS5_NOT_ALLOWED = 0x02;
  static final int SOCKS5_HOST_UNREACHABLE = 0x04;
  static final int SOCKS4_GRANTED = 0x5a;
  static final int SOCKS4_REJECTED = 0x5b;

  private SocksProbe() {}

  /** SOCKS5 CONNECT to an IPv4 literal; returns the REP byte. */
  static int socks5(int gatewayPort, InetAddress destination, int port) throws IOException {
    byte[] address = destination.getAddress();
    byte[] request = new byte[] {5, 1, 0, 1, address[0], address[1], address[2], address[3],
        (byte) (port >> 8), (byte) port};
    return socks5(gatewayPort, request);
  }

  /** SOCKS5 CONNECT to a domain name (resolved by the gateway); returns the REP byte. */
  static int socks5(int gatewayPort, String host, int port) throws IOException {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[7 + name.length];
    request[0] = 5;
    request[1] = 1;
    request[2] = 0;
    request[3] = 3;
    request[4] = (byte) name.length;
    System.arraycopy(name, 0, request, 5, name.length);
    request[5 + name.length] = (byte) (port >> 8);
    request[6 + name.length] = (byte) port;
    return socks5(gatewayPort, request);
  }

  private static int socks5(int gatewayPort, byte[] request) throws IOException {
    try (Socket socket = loopback(gatewayPort)) {
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(new byte[] {5, 1, 0});
      out.flush();
      int version = in.readUnsignedByte();
      int method = in.readUnsignedByte();
      if (version != 5 || method != 0) {
        throw new IOException("gateway chose SOCKS version " + version + " method " + method);
      }
      out.write(request);
      out.flush();
      int replyVersion = in.readUnsignedByte();
      if (replyVersion != 5) {
        throw new IOException("reply version " + replyVersion);
      }
      return in.readUnsignedByte();
    }
  }

  /** SOCKS4 CONNECT to an IPv4 literal; returns CD (0x5a granted, 0x5b rejected). */
  static int socks4(int gatewayPort, InetAddress destination, int port) throws IOException {
    byte[] address = destination.getAddress();
    try (Socket socket = loopback(gatewayPort)) {
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(new byte[] {4, 1, (byte) (port >> 8), (byte) port, address[0], address[1], address[2], address[3],
          'e', '2', 'e', 0});
      out.flush();
      int version = in.readUnsignedByte();
      if (version != 0) {
        throw new IOException("SOCKS4 reply version " + version);
      }
      return in.readUnsignedByte();
    }
  }

  private static Socket loopback(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    socket.setSoTimeout(10000);
    return socket;
  }
}
