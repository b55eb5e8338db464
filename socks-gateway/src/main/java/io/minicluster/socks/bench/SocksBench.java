package io.minicluster.socks.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loopback benchmark helpers driven by {@code socks-gateway/bench/run.sh}:
 * <ul>
 *   <li>{@code serve PORT [--any]}: HTTP/1.0-style server on 127.0.0.1 (all addresses with {@code --any}, for the
 *   benchmark's container) with {@code /big} (1 GiB) and {@code /small}
 *   (512 bytes), one thread per connection, {@code Connection: close}.</li>
 *   <li>{@code sink PORT}: accepts and holds connections without a thread each (NIO), reading and discarding.</li>
 *   <li>{@code idle SOCKS_PORT TARGET_PORT COUNT SECONDS}: opens COUNT SOCKS5 connections through the proxy to the
 *   target, prints {@code READY n}, holds them SECONDS, then closes them.</li>
 * </ul>
 * Loops are bounded by their arguments; everything stays on 127.0.0.1.
 */
public final class SocksBench {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final long BIG = 1L << 30;
  private static final byte[] SMALL = new byte[512];

  private SocksBench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: SocksBench serve PORT [--any] | sink PORT | idle SOCKS_PORT TARGET_PORT COUNT SECONDS");
      System.exit(2);
    }
    switch (args[0]) {
      case "serve" -> serve(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("--any"));
      case "sink" -> sink(Integer.parseInt(args[1]));
      case "idle" -> idle(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void serve(int port, boolean anyAddress) throws IOException {
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    // --any is for the benchmark's own container (its only interfaces are loopback and the bench's Docker network).
    try (ServerSocket server = new ServerSocket(port, 1024, anyAddress ? null : LOOPBACK)) {
      System.out.println("serving on " + server.getLocalSocketAddress());
      while (true) {
        Socket socket = server.accept();
        Thread thread = new Thread(() -> answer(socket, chunk), "bench-http");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  private static void answer(Socket socket, byte[] chunk) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      int matched = 0;
      while (matched < 4 && head.length() < 8192) {
        int next = in.read();
        if (next < 0) {
          return;
        }
        head.append((char) next);
        matched = (next == '\r' || next == '\n') ? matched + 1 : 0;
      }
      String requestLine = head.substring(0, Math.max(0, head.indexOf("\r")));
      boolean big = requestLine.contains(" /big");
      long length = big ? BIG : SMALL.length;
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\nContent-Type: application/octet-stream\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      if (big) {
        for (long sent = 0; sent < BIG; sent += chunk.length) {
          out.write(chunk);
        }
      } else {
        out.write(SMALL);
      }
      out.flush();
    } catch (IOException e) {
      // client went away
    }
  }

  private static void sink(int port) throws IOException {
    try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(LOOPBACK, port), 4096);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      System.out.println("sink on 127.0.0.1:" + server.socket().getLocalPort());
      ByteBuffer discard = ByteBuffer.allocate(4096);
      while (true) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isAcceptable()) {
            SocketChannel accepted;
            while ((accepted = server.accept()) != null) {
              accepted.configureBlocking(false);
              accepted.register(selector, SelectionKey.OP_READ);
            }
          } else if (key.isReadable()) {
            SocketChannel channel = (SocketChannel) key.channel();
            discard.clear();
            if (channel.read(discard) < 0) {
              key.cancel();
              channel.close();
            }
          }
        }
        selector.selectedKeys().clear();
      }
    }
  }

  private static void idle(int socksPort, int targetPort, int count, int seconds) throws Exception {
    List<Socket> sockets = new ArrayList<>(count);
    byte[] request = {5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, (byte) (targetPort >> 8), (byte) targetPort};
    long start = System.nanoTime();
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket(LOOPBACK, socksPort);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request);
        byte[] reply = socket.getInputStream().readNBytes(12);
        if (reply.length != 12 || reply[3] != 0) {
          throw new IOException("connection " + i + " failed, reply " + Arrays.toString(reply));
        }
        sockets.add(socket);
      }
      System.out.printf("READY %d %.1f%n", sockets.size(), (System.nanoTime() - start) / 1e9);
      System.out.flush();
      Thread.sleep(seconds * 1000L);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
