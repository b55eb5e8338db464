package io.minicluster.socks.server;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;

/**
 * Socket options shared by client and destination channels: the adaptive read buffer (starts small for
 * handshakes, grows up to {@code readBufferMax} for bulk transfers) and optional fixed socket buffers.
 *
 * @param readBufferMax the largest single read
 * @param socketBufferSize SO_RCVBUF/SO_SNDBUF, 0 keeps kernel auto-tuning
 */
record SocketTuning(int readBufferMax, int socketBufferSize) {

  private static final int READ_BUFFER_MIN = 64;
  private static final int READ_BUFFER_INITIAL = 2048;

  RecvByteBufAllocator receiveBufferAllocator() {
    return new AdaptiveRecvByteBufAllocator(READ_BUFFER_MIN, READ_BUFFER_INITIAL, readBufferMax);
  }

  /** Sets the options on a client bootstrap. */
  void applyTo(AbstractBootstrap<?, ?> bootstrap) {
    if (socketBufferSize > 0) {
      bootstrap.option(ChannelOption.SO_RCVBUF, socketBufferSize);
      bootstrap.option(ChannelOption.SO_SNDBUF, socketBufferSize);
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
  }
}
