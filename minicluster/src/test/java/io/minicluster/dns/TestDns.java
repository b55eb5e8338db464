package io.minicluster.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain DNS client for tests: builds queries byte by byte and reads answers into text, independent of the server. */
public final class TestDns {
  private TestDns() {
  }

  /** A query for {@code name}/{@code type}, RD set; with an OPT record advertising {@code ednsSize} unless it is 0. */
  public static byte[] query(int id, String name, int type, int ednsSize) {
    ByteBuffer out = ByteBuffer.allocate(512);
    out.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0)
        .putShort((short) (ednsSize > 0 ? 1 : 0));
    for (String label : name.split("\\.")) {
      if (!label.isEmpty()) {
        byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
        out.put((byte) bytes.length).put(bytes);
      }
    }
    out.put((byte) 0).putShort((short) type).putShort((short) 1);
    if (ednsSize > 0) {
      out.put((byte) 0).putShort((short) 41).putShort((short) ednsSize).putInt(0).putShort((short) 0);
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  public static Reply udp(InetSocketAddress server, byte[] query) throws IOException {
    return Reply.parse(udpBytes(server, query));
  }

  /** The raw response to a query over UDP. */
  public static byte[] udpBytes(InetSocketAddress server, byte[] query) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5000);
      socket.send(new DatagramPacket(query, query.length, server));
      return receiveBytes(socket);
    }
  }

  static Reply receive(DatagramSocket socket) throws IOException {
    return Reply.parse(receiveBytes(socket));
  }

  private static byte[] receiveBytes(DatagramSocket socket) throws IOException {
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    return Arrays.copyOf(buffer, packet.getLength());
  }

  public static Reply tcp(InetSocketAddress server, byte[] query) throws IOException {
    return Reply.parse(tcpBytes(server, query));
  }

  /** The raw response (without its length prefix) to a query over TCP. */
  public static byte[] tcpBytes(InetSocketAddress server, byte[] query) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server, 5000);
      socket.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] response = new byte[in.readUnsignedShort()];
      in.readFully(response);
      return response;
    }
  }

  /** A raw response read into a {@link Reply}. */
  public static Reply parse(byte[] response) {
    return Reply.parse(response);
  }

  /** A response read into text lines like {@code name. ttl TYPE data}. */
  public record Reply(int id, int flags, int rcode, int questions, List<String> answers, List<String> authority,
      List<String> additional, int optSize, int length) {
    public boolean truncated() {
      return (flags & 0x0200) != 0;
    }

    boolean authoritative() {
      return (flags & 0x0400) != 0;
    }

    static Reply parse(byte[] bytes) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int id = in.getShort() & 0xFFFF;
      int flags = in.getShort() & 0xFFFF;
      int[] counts = {in.getShort() & 0xFFFF, in.getShort() & 0xFFFF, in.getShort() & 0xFFFF,
          in.getShort() & 0xFFFF};
      int at = 12;
      for (int i = 0; i < counts[0]; i++) {
        at = skipName(bytes, at) + 4;
      }
      List<List<String>> sections = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      int rcode = flags & 0xF;
      int optSize = 0;
      for (int s = 0; s < 3; s++) {
        for (int i = 0; i < counts[s + 1]; i++) {
          String owner = RawMessage.readName(bytes, at);
          at = skipName(bytes, at);
          in.position(at);
          int type = in.getShort() & 0xFFFF;
          int dnsClass = in.getShort() & 0xFFFF;
          long ttl = in.getInt() & 0xFFFFFFFFL;
          int length = in.getShort() & 0xFFFF;
          int rdata = in.position();
          if (type == 41) {
            optSize = dnsClass;
            rcode |= (int) (ttl >>> 24) << 4;
          } else {
            sections.get(s).add(owner + " " + ttl + " " + text(bytes, type, rdata, length));
          }
          at = rdata + length;
        }
      }
      return new Reply(id, flags, rcode, counts[0], sections.get(0), sections.get(1), sections.get(2), optSize,
          bytes.length);
    }

    private static String text(byte[] bytes, int type, int at, int length) {
      ByteBuffer in = ByteBuffer.wrap(bytes, at, length);
      return switch (type) {
        case 1 -> "A " + (bytes[at] & 0xFF) + "." + (bytes[at + 1] & 0xFF) + "." + (bytes[at + 2] & 0xFF) + "."
            + (bytes[at + 3] & 0xFF);
        case 28 -> "AAAA " + IpAddresses.parse(ipv6(bytes, at)).getHostAddress();
        case 5 -> "CNAME " + RawMessage.readName(bytes, at);
        case 12 -> "PTR " + RawMessage.readName(bytes, at);
        case 2 -> "NS " + RawMessage.readName(bytes, at);
        case 33 -> "SRV " + (in.getShort() & 0xFFFF) + " " + (in.getShort() & 0xFFFF) + " "
            + (in.getShort() & 0xFFFF) + " " + RawMessage.readName(bytes, at + 6);
        case 16 -> "TXT \"" + new String(bytes, at + 1, bytes[at] & 0xFF, StandardCharsets.UTF_8) + "\"";
        case 6 -> "SOA " + RawMessage.readName(bytes, at) + " minimum " + ((bytes[at + length - 4] & 0xFF) << 24
            | (bytes[at + length - 3] & 0xFF) << 16 | (bytes[at + length - 2] & 0xFF) << 8
            | (bytes[at + length - 1] & 0xFF));
        default -> "TYPE" + type;
      };
    }

    private static String ipv6(byte[] bytes, int at) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 16; i += 2) {
        text.append(i == 0 ? "" : ":").append(Integer.toHexString((bytes[at + i] & 0xFF) << 8
            | (bytes[at + i + 1] & 0xFF)));
      }
      return text.toString();
    }

    private static int skipName(byte[] bytes, int at) {
      while (true) {
        int length = bytes[at] & 0xFF;
        if (length == 0) {
          return at + 1;
        }
        if ((length & 0xC0) == 0xC0) {
          return at + 2;
        }
        at += 1 + length;
      }
    }
  }
}
