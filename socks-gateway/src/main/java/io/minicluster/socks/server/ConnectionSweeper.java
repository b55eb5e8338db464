package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.policy.RefusalReason;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the handshake, HTTP keep-alive and relay idle timeouts of the connections one event loop serves: a task on the loop visits them
 * once per tick and closes those past their limit. This replaces, per connection, an IdleStateHandler on each of
 * its two channels and a handshake timer: three scheduled tasks and their cancellations, three pipeline handlers,
 * and a promise with a listener on every write, which together cost a measurable share of the gateway's time per
 * connection.
 *
 * <p>Time is counted in ticks of the loop's own scheduler (so a test's EmbeddedEventLoop with a frozen clock
 * drives it too). A tick is a tenth of the shorter timeout, between 10 ms and 1 s; a connection is closed between
 * its timeout and one tick later. Activity is a read on either of the connection's channels. Without a relay idle
 * timeout (the default) an established relay is never closed for idleness: TCP keepalive finds dead peers. Every
 * method runs on the loop.
 */
final class ConnectionSweeper {

  private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EventLoop loop;
  private final long tickNanos;
  private final Duration handshakeTimeout;
  private final int handshakeTicks;
  private final int awaitingRequestTicks;
  /** 0 when relays have no idle timeout. */
  private final int relayIdleTicks;
  private final List<ConnectionContext> tracked = new ArrayList<>();
  private boolean started;

  /**
   * @param relayIdleTimeout null when relays have no idle timeout
   */
  ConnectionSweeper(EventLoop loop, Duration handshakeTimeout, Duration httpIdleTimeout, Duration relayIdleTimeout) {
    this.loop = requireNonNull(loop, "loop is null");
    long shorter = Math.min(handshakeTimeout.toNanos(), httpIdleTimeout.toNanos());
    if (relayIdleTimeout != null) {
      shorter = Math.min(shorter, relayIdleTimeout.toNanos());
    }
    this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, shorter / 10));
    this.handshakeTimeout = handshakeTimeout;
    this.handshakeTicks = ticks(handshakeTimeout);
    this.awaitingRequestTicks = ticks(httpIdleTimeout);
    this.relayIdleTicks = relayIdleTimeout == null ? 0 : ticks(relayIdleTimeout);
  }

  private int ticks(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, (timeout.toNanos() + tickNanos - 1) / tickNanos);
  }

  /** Starts watching a new connection; {@link #forget} it when its client channel closes. */
  void track(ConnectionContext connection) {
    if (!started) {
      started = true;
      loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }
    connection.sweepIndex = tracked.size();
    tracked.add(connection);
  }

  void forget(ConnectionContext connection) {
    int index = connection.sweepIndex;
    if (index < 0) {
      return;
    }
    ConnectionContext last = tracked.remove(tracked.size() - 1);
    if (last != connection) {
      tracked.set(index, last);
      last.sweepIndex = index;
    }
    connection.sweepIndex = -1;
  }

  int trackedCount() {
    return tracked.size();
  }

  private void tick() {
    // Backwards, so closing (which forgets the current entry by moving the last one into its slot) skips nothing.
    for (int i = tracked.size() - 1; i >= 0; i--) {
      if (i >= tracked.size()) {
        continue;
      }
      ConnectionContext connection = tracked.get(i);
      switch (connection.phase()) {
        case HANDSHAKE -> {
          if (++connection.ageTicks > handshakeTicks) {
            connection.refuse(RefusalReason.HANDSHAKE_TIMEOUT, handshakeTimeout.toMillis() + " ms");
            connection.channel().close();
          }
        }
        case AWAITING_REQUEST -> {
          if (++connection.idleTicks > awaitingRequestTicks) {
            connection.channel().close();
          }
        }
        case RELAYING -> {
          if (relayIdleTicks > 0 && ++connection.idleTicks > relayIdleTicks) {
            connection.channel().close();
          }
        }
        default -> throw new IllegalStateException(connection.phase().toString());
      }
    }
  }

  /** One sweeper per event loop of a gateway, made on first use. */
  static final class PerLoop {

    private final Duration handshakeTimeout;
    private final Duration httpIdleTimeout;
    private final Duration relayIdleTimeout;
    private final ConcurrentMap<EventLoop, ConnectionSweeper> sweepers = new ConcurrentHashMap<>();

    /**
     * @param relayIdleTimeout null when relays have no idle timeout
     */
    PerLoop(Duration handshakeTimeout, Duration httpIdleTimeout, Duration relayIdleTimeout) {
      this.handshakeTimeout = requireNonNull(handshakeTimeout, "handshakeTimeout is null");
      this.httpIdleTimeout = requireNonNull(httpIdleTimeout, "httpIdleTimeout is null");
      this.relayIdleTimeout = relayIdleTimeout;
    }

    ConnectionSweeper of(EventLoop loop) {
      ConnectionSweeper sweeper = sweepers.get(loop);
      return sweeper != null ? sweeper
          : sweepers.computeIfAbsent(loop, created -> new ConnectionSweeper(created, handshakeTimeout, httpIdleTimeout,
              relayIdleTimeout));
    }
  }
}
