package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Where the engine listens, for the connections {@link DockerRuntime} opens itself (exec and attach streams): a unix
 * socket ({@code unix:///var/run/docker.sock}) or plain TCP ({@code tcp://127.0.0.1:2375}). TLS endpoints are not
 * supported here.
 *
 * @param address the socket address
 * @param unix whether it is a unix domain socket
 */
record EngineEndpoint(SocketAddress address, boolean unix) {

  EngineEndpoint {
    requireNonNull(address, "address is null");
  }

  /** Parses a {@code DOCKER_HOST} style endpoint. */
  static EngineEndpoint parse(String dockerHost) {
    requireNonNull(dockerHost, "dockerHost is null");
    if (dockerHost.startsWith("unix://")) {
      String path = dockerHost.substring("unix://".length());
      if (path.isEmpty()) {
        throw new IllegalArgumentException("unix endpoint without a path: " + dockerHost);
      }
      return new EngineEndpoint(UnixDomainSocketAddress.of(path), true);
    }
    if (dockerHost.startsWith("tcp://")) {
      URI uri = URI.create(dockerHost);
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("tcp endpoint needs host and port: " + dockerHost);
      }
      return new EngineEndpoint(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()), false);
    }
    throw new IllegalArgumentException("unsupported engine endpoint for exec/attach streams: " + dockerHost);
  }

  /** Opens a blocking connection. */
  SocketChannel connect(Duration timeout) throws IOException {
    if (unix) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(address);
        return channel;
      } catch (IOException | RuntimeException exception) {
        channel.close();
        throw exception;
      }
    }
    InetSocketAddress unresolved = (InetSocketAddress) address;
    InetSocketAddress resolved = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    SocketChannel channel = SocketChannel.open();
    try {
      channel.socket().connect(resolved, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      channel.socket().setTcpNoDelay(true);
      return channel;
    } catch (IOException | RuntimeException exception) {
      channel.close();
      throw exception;
    }
  }
}
