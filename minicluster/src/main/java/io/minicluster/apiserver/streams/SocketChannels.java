package io.minicluster.apiserver.streams;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Picks the client socket channel class matching a connection's transport (epoll or NIO). */
final class SocketChannels {
  private SocketChannels() {}

  static Class<? extends Channel> clientChannelType(Channel sameTransportAs) {
    try {
      if (sameTransportAs instanceof EpollSocketChannel) {
        return EpollSocketChannel.class;
      }
    } catch (NoClassDefFoundError e) {
      // no native transport on the class path
    }
    return NioSocketChannel.class;
  }
}
