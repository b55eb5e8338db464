package io.minicluster.socks.server;

import io.minicluster.socks.policy.RefusalReason;
import io.netty.channel.ConnectTimeoutException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.Locale;

/** Maps a failed connect to the SOCKS reply reason. NIO and epoll word errno differently; both are covered. */
final class ConnectFailures {

  private ConnectFailures() {
  }

  static RefusalReason reasonFor(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return RefusalReason.CONNECT_TIMEOUT;
    }
    String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
    if (message.contains("network is unreachable") || message.contains("enetunreach")) {
      return RefusalReason.NETWORK_UNREACHABLE;
    }
    if (message.contains("no route to host") || message.contains("host is unreachable")
        || message.contains("ehostunreach") || cause instanceof NoRouteToHostException
        || cause instanceof PortUnreachableException) {
      return RefusalReason.HOST_UNREACHABLE;
    }
    if (message.contains("timed out")) {
      return RefusalReason.CONNECT_TIMEOUT;
    }
    if (message.contains("connection refused")) {
      return RefusalReason.CONNECTION_REFUSED;
    }
    return RefusalReason.GENERAL_FAILURE;
  }
}
