package io.minicluster.dns;

import io.minicluster.dns.ResourceRecord.Rdata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream resolver on loopback for tests (UDP and TCP on one port): answers A records it was given, NXDOMAIN
 * with an SOA (TTL 60, minimum 30) for anything else; names starting with {@code tc-} get a truncated UDP answer and
 * the full one over TCP. Counts the questions it receives.
 */
public final class StubUpstream implements AutoCloseable {
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Map<String, List<ResourceRecord>> records = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> questions = new ConcurrentHashMap<>();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private volatile boolean silent;
  private volatile Spoof spoof;

  /** How a spoofing upstream gets its answers wrong. */
  enum Spoof {
    /** Answers from another port than the one asked. */
    OTHER_PORT,
    /** Answers with another id than the query's. */
    OTHER_ID
  }

  public StubUpstream() throws IOException {
    DatagramSocket datagram = null;
    ServerSocket server = null;
    while (server == null) {
      datagram = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try {
        server = new ServerSocket(datagram.getLocalPort(), 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        datagram.close();
      }
    }
    this.udp = datagram;
    this.tcp = server;
    Thread udpThread = new Thread(this::serveUdp, "stub-upstream-udp");
    udpThread.setDaemon(true);
    udpThread.start();
    Thread tcpThread = new Thread(this::serveTcp, "stub-upstream-tcp");
    tcpThread.setDaemon(true);
    tcpThread.start();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
  }

  /** Answers {@code name} A with these addresses and TTL. */
  public StubUpstream a(String name, long ttl, String... ips) {
    List<ResourceRecord> list = new ArrayList<>();
    for (String ip : ips) {
      list.add(ResourceRecord.address(name, ttl, IpAddresses.parse(ip)));
    }
    records.put(ClusterZone.canonical(name), list);
    return this;
  }

  /** Receives but never answers (an upstream that is down). */
  StubUpstream silent() {
    silent = true;
    return this;
  }

  /** Answers, but wrongly: the forwarder must not take these answers. */
  StubUpstream spoofing(Spoof how) {
    spoof = how;
    return this;
  }

  public int questions(String name) {
    AtomicInteger count = questions.get(ClusterZone.canonical(name));
    return count == null ? 0 : count.get();
  }

  int tcpQueries() {
    return tcpQueries.get();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!udp.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        byte[] response = answer(Arrays.copyOf(buffer, packet.getLength()), false);
        if (response != null && !silent) {
          DatagramPacket answer = new DatagramPacket(response, response.length, packet.getSocketAddress());
          if (spoof == Spoof.OTHER_PORT) {
            try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0))) {
              other.send(answer);
            }
          } else {
            if (spoof == Spoof.OTHER_ID) {
              response[0] ^= (byte) 0x55;
            }
            udp.send(answer);
          }
        }
      } catch (IOException e) {
        return;
      } catch (RuntimeException e) {
        // a question this stub cannot answer: no answer
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket socket = tcp.accept()) {
        tcpQueries.incrementAndGet();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        byte[] response = answer(query, true);
        if (response != null && !silent) {
          DataOutputStream out = new DataOutputStream(socket.getOutputStream());
          out.writeShort(response.length);
          out.write(response);
          out.flush();
        }
      } catch (IOException e) {
        if (tcp.isClosed()) {
          return;
        }
      }
    }
  }

  private byte[] answer(byte[] packet, boolean overTcp) {
    DnsWire.Parsed parsed = DnsWire.parseQuery(Unpooled.wrappedBuffer(packet));
    if (!(parsed instanceof DnsWire.Parsed.Ok ok)) {
      return null;
    }
    Query query = ok.query();
    String name = query.question().canonicalName();
    questions.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    List<ResourceRecord> answers = records.get(name);
    ByteBuf response;
    if (name.startsWith("tc-") && !overTcp) {
      response = DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.NOERROR, false, List.of(), List.of(),
          List.of(), 512);
      response.setShort(2, response.getUnsignedShort(2) | 0x0200);
    } else if (answers != null || name.startsWith("tc-")) {
      List<ResourceRecord> list = answers != null ? answers
          : List.of(ResourceRecord.address(query.question().name(), 60, IpAddresses.parse("192.0.2.99")));
      List<ResourceRecord> matching = list.stream().filter(r -> r.type() == query.question().type()).toList();
      response = DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.NOERROR, false, matching,
          matching.isEmpty() ? List.of(soa()) : List.of(), List.of(), 65535);
    } else {
      response = DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.NXDOMAIN, false, List.of(),
          List.of(soa()), List.of(), 65535);
    }
    try {
      return ByteBufUtil.getBytes(response);
    } finally {
      response.release();
    }
  }

  private static ResourceRecord soa() {
    return new ResourceRecord("example", RecordTypes.SOA, 60,
        new Rdata.Soa("ns.example", "hostmaster.example", 1, 7200, 1800, 86400, 30));
  }

  @Override
  public void close() throws IOException {
    udp.close();
    tcp.close();
  }
}
