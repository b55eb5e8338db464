package io.minicluster.socks;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** Loopback servers and raw SOCKS clients shared by the end-to-end tests. */
final class LoopbackFixtures {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final String PAGE = "<html><body><h1 id=\"x\">hello-through-gateway</h1></body></html>";

  private LoopbackFixtures() {
  }

  /** An HTTP server on 127.0.0.1 serving {@code /} (a small page) and {@code /bytes?n=N} (N patterned bytes). */
  static HttpServer startHttpServer() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 64);
    server.createContext("/", exchange -> {
      byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/bytes", exchange -> {
      long count = Long.parseLong(exchange.getRequestURI().getQuery().substring(2));
      exchange.sendResponseHeaders(200, count);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        while (written < count) {
          int length = (int) Math.min(chunk.length, count - written);
          for (int i = 0; i < length; i++) {
            chunk[i] = pattern(written + i);
          }
          out.write(chunk, 0, length);
          written += length;
        }
      }
    });
    server.setExecutor(Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "loopback-http");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
    return server;
  }

  static byte pattern(long offset) {
    return (byte) (offset * 31 + (offset >>> 8));
  }

  /** Opens a SOCKS5 connection (no auth) to an IPv4 destination and returns the socket after a successful reply. */
  static Socket socks5Connect(int gatewayPort, byte[] ipv4, int port) throws IOException {
    Socket socket = new Socket(LOOPBACK, gatewayPort);
    socket.setSoTimeout(10_000);
    int reply = socks5Request(socket, new byte[] {5, 1, 0, 1, ipv4[0], ipv4[1], ipv4[2], ipv4[3],
        (byte) (port >> 8), (byte) port});
    if (reply != 0) {
      socket.close();
      throw new IOException("SOCKS5 reply " + reply);
    }
    return socket;
  }

  /** Sends a no-auth greeting and the given request; returns the REP byte. */
  static int socks5Request(Socket socket, byte[] request) throws IOException {
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    out.write(new byte[] {5, 1, 0});
    out.flush();
    byte[] method = in.readNBytes(2);
    if (method.length != 2 || method[1] != 0) {
      throw new IOException("method selection failed");
    }
    out.write(request);
    out.flush();
    byte[] head = in.readNBytes(4);
    if (head.length < 4) {
      throw new IOException("short reply");
    }
    int addressLength = head[3] == 4 ? 16 : 4;
    in.readNBytes(addressLength + 2);
    return head[1] & 0xFF;
  }

  static String httpGet(Socket socket, String host, String path) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    socket.getInputStream().transferTo(response);
    return response.toString(StandardCharsets.UTF_8);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
