package io.minicluster.socks.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one line per client connection when it closes. */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  private AccessLog() {
  }

  static void connectionClosed(ConnectionContext connection) {
    if (LOG.isInfoEnabled()) {
      LOG.info(connection.accessLogLine());
    }
  }
}
