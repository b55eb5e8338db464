package io.minicluster.socks.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per client connection when it closes. The event loop only hands the closed connection's facts to
 * a background writer, which writes what gathered every 50 ms: formatting the line and the logger's synchronized,
 * blocking write cost about 10 us, which the event loop would otherwise spend before serving the next connection.
 * Lines wait in a bounded queue; when it is full the event loop writes the line itself, and a shutdown hook writes
 * what is still queued, so none is lost.
 */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  private static final BlockingQueue<ConnectionContext> PENDING = new ArrayBlockingQueue<>(16_384);
  private static final long WRITE_INTERVAL_MILLIS = 50;

  static {
    Thread writer = new Thread(AccessLog::writeForever, "socks-access-log");
    writer.setDaemon(true);
    writer.start();
    Runtime.getRuntime().addShutdownHook(new Thread(AccessLog::flush, "socks-access-log-flush"));
  }

  private AccessLog() {
  }

  static void connectionClosed(ConnectionContext connection) {
    if (LOG.isInfoEnabled()) {
      connection.closed();
      if (!PENDING.offer(connection)) {
        LOG.info(connection.accessLogLine());
      }
    }
  }

  /** Polls rather than blocks on the queue: a wake-up per connection would cost the event loop a futex call. */
  private static void writeForever() {
    List<ConnectionContext> batch = new ArrayList<>();
    try {
      while (true) {
        Thread.sleep(WRITE_INTERVAL_MILLIS);
        PENDING.drainTo(batch);
        for (ConnectionContext connection : batch) {
          LOG.info(connection.accessLogLine());
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void flush() {
    List<ConnectionContext> left = new ArrayList<>();
    PENDING.drainTo(left);
    for (ConnectionContext connection : left) {
      LOG.info(connection.accessLogLine());
    }
  }
}
