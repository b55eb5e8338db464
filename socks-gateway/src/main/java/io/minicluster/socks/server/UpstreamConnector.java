package io.minicluster.socks.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;

/**
 * Opens the channel to a destination. The returned channel must not read (auto-read off) until the gateway
 * installs its relay, and must complete on the client channel's event loop.
 */
@FunctionalInterface
public interface UpstreamConnector {

  ChannelFuture connect(Channel client, InetSocketAddress destination);
}
