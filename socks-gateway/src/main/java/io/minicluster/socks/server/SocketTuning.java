package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.TcpKeepAlive;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;

/**
 * Socket options shared by client and destination channels: the adaptive read buffer (starts small for
 * handshakes, grows up to {@code readBufferMax} for bulk transfers), optional fixed socket buffers, and TCP
 * keepalive with the configured timing on both legs.
 *
 * @param readBufferMax the largest single read
 * @param socketBufferSize SO_RCVBUF/SO_SNDBUF, 0 keeps kernel auto-tuning
 * @param keepAlive keepalive timing
 * @param epoll whether the channels are epoll channels (else NIO): the keepalive timing options differ
 */
record SocketTuning(int readBufferMax, int socketBufferSize, TcpKeepAlive keepAlive, boolean epoll) {

  private static final int READ_BUFFER_MIN = 64;
  private static final int READ_BUFFER_INITIAL = 2048;

  SocketTuning {
    requireNonNull(keepAlive, "keepAlive is null");
  }

  RecvByteBufAllocator receiveBufferAllocator() {
    return new AdaptiveRecvByteBufAllocator(READ_BUFFER_MIN, READ_BUFFER_INITIAL, readBufferMax);
  }

  /** Sets the options on a client bootstrap. */
  void applyTo(Bootstrap bootstrap) {
    if (socketBufferSize > 0) {
      bootstrap.option(ChannelOption.SO_RCVBUF, socketBufferSize);
      bootstrap.option(ChannelOption.SO_SNDBUF, socketBufferSize);
    }
    bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
    if (epoll) {
      bootstrap.option(EpollChannelOption.TCP_KEEPIDLE, keepAlive.idleSeconds());
      bootstrap.option(EpollChannelOption.TCP_KEEPINTVL, keepAlive.intervalSeconds());
      bootstrap.option(EpollChannelOption.TCP_KEEPCNT, keepAlive.probes());
    } else {
      bootstrap.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), keepAlive.idleSeconds());
      bootstrap.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), keepAlive.intervalSeconds());
      bootstrap.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), keepAlive.probes());
    }
  }

  /** Sets the options on accepted channels of a server bootstrap. */
  void applyToChildren(ServerBootstrap bootstrap) {
    bootstrap.childOption(ChannelOption.RCVBUF_ALLOCATOR, receiveBufferAllocator());
    if (socketBufferSize > 0) {
      // SO_RCVBUF on the listener is inherited by accepted sockets before the handshake (window scaling).
      bootstrap.option(ChannelOption.SO_RCVBUF, socketBufferSize);
      bootstrap.childOption(ChannelOption.SO_SNDBUF, socketBufferSize);
    }
    bootstrap.childOption(ChannelOption.SO_KEEPALIVE, true);
    if (epoll) {
      bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, keepAlive.idleSeconds());
      bootstrap.childOption(EpollChannelOption.TCP_KEEPINTVL, keepAlive.intervalSeconds());
      bootstrap.childOption(EpollChannelOption.TCP_KEEPCNT, keepAlive.probes());
    } else {
      bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), keepAlive.idleSeconds());
      bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), keepAlive.intervalSeconds());
      bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), keepAlive.probes());
    }
  }
}
