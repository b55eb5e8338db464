package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * TCP keepalive settings for both legs of a connection (TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT): an idle relay
 * is kept open, and a peer that vanished (a suspended laptop, a dropped tunnel) is found after about
 * {@code idle + interval * probes}. The kernel's own default waits two hours before the first probe, longer than
 * many NATs and firewalls keep an idle flow.
 *
 * @param idle idle time before the first probe, at least one second
 * @param interval time between probes, at least one second
 * @param probes unanswered probes before the connection is dropped, 1..127
 */
public record TcpKeepAlive(Duration idle, Duration interval, int probes) {

  /** First probe after 60 s idle, then every 15 s; a peer gone is noticed after two minutes. */
  public static final TcpKeepAlive DEFAULT = new TcpKeepAlive(Duration.ofSeconds(60), Duration.ofSeconds(15), 4);

  public TcpKeepAlive {
    requireNonNull(idle, "idle is null");
    requireNonNull(interval, "interval is null");
    if (idle.getSeconds() < 1 || idle.getSeconds() > 32767) {
      throw new IllegalArgumentException("keepalive idle must be 1..32767 s, got " + idle);
    }
    if (interval.getSeconds() < 1 || interval.getSeconds() > 32767) {
      throw new IllegalArgumentException("keepalive interval must be 1..32767 s, got " + interval);
    }
    if (probes < 1 || probes > 127) {
      throw new IllegalArgumentException("keepalive probes must be 1..127, got " + probes);
    }
  }

  public int idleSeconds() {
    return (int) idle.getSeconds();
  }

  public int intervalSeconds() {
    return (int) interval.getSeconds();
  }
}
