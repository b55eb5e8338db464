package io.minicluster.apiserver;

import io.minicluster.registry.Requester;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** Takes over a connection for exec, attach and portforward (WebSocket or SPDY upgrade). */
public interface UpgradeHandler {
  /**
   * Called on the channel's event loop with the authenticated request for a pod's exec/attach/portforward
   * subresource. The handler owns the request (must release it) and the channel from here on.
   *
   * @param requester the authenticated (and authorized) user, for the connection's admission
   */
  void upgrade(ChannelHandlerContext context, FullHttpRequest request, ResourceEndpoints.Route route,
      Requester requester);
}
