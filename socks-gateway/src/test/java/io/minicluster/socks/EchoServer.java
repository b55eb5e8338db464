package io.minicluster.socks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP server that answers every connection with {@code <name>\n} and then echoes what it reads; a
 * backend whose identity the test can see through the gateway.
 */
final class EchoServer implements AutoCloseable {

  private final ServerSocket listener;
  private final String name;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  EchoServer(InetAddress address, String name) throws IOException {
    this(address, name, 0);
  }

  /** Listens on {@code port} of {@code address} (0: any free port). */
  EchoServer(InetAddress address, String name, int port) throws IOException {
    this.listener = new ServerSocket(port, 128, address);
    this.name = name;
    Thread acceptor = new Thread(this::acceptLoop, "echo-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      accepted.add(socket);
      Thread echo = new Thread(() -> echo(socket), "echo-" + name + "-conn");
      echo.setDaemon(true);
      echo.start();
    }
  }

  private void echo(Socket socket) {
    try (socket) {
      OutputStream out = socket.getOutputStream();
      out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      int read;
      while ((read = in.read(buffer)) > 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // the peer went away
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
