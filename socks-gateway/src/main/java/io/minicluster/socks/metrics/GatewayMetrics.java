package io.minicluster.socks.metrics;

import io.minicluster.socks.policy.RefusalReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a gateway; thread-safe, cheap to update from event loops. */
public final class GatewayMetrics {

  private final AtomicLong activeConnections = new AtomicLong();
  private final LongAdder totalConnections = new LongAdder();
  private final LongAdder relayedConnections = new LongAdder();
  private final LongAdder bytesFromClients = new LongAdder();
  private final LongAdder bytesToClients = new LongAdder();
  private final LongAdder readPauses = new LongAdder();
  private final LongAdder httpRequestsForwarded = new LongAdder();
  private final Map<RefusalReason, LongAdder> refusals = new EnumMap<>(RefusalReason.class);

  public GatewayMetrics() {
    for (RefusalReason reason : RefusalReason.values()) {
      refusals.put(reason, new LongAdder());
    }
  }

  /** Counts an accepted connection and admits it unless {@code maxActive} connections are already open. */
  public boolean tryOpenConnection(int maxActive) {
    totalConnections.increment();
    while (true) {
      long current = activeConnections.get();
      if (current >= maxActive) {
        return false;
      }
      if (activeConnections.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  public void connectionClosed() {
    activeConnections.decrementAndGet();
  }

  public void connectionRelayed() {
    relayedConnections.increment();
  }

  public void bytesFromClient(long count) {
    bytesFromClients.add(count);
  }

  public void bytesToClient(long count) {
    bytesToClients.add(count);
  }

  public void readPaused() {
    readPauses.increment();
  }

  /** Counts a plain HTTP proxy request sent on to its destination. */
  public void httpRequestForwarded() {
    httpRequestsForwarded.increment();
  }

  public void refused(RefusalReason reason) {
    refusals.get(reason).increment();
  }

  public long activeConnections() {
    return activeConnections.get();
  }

  public MetricsSnapshot snapshot() {
    Map<RefusalReason, Long> refusalCounts = new EnumMap<>(RefusalReason.class);
    refusals.forEach((reason, count) -> refusalCounts.put(reason, count.sum()));
    return new MetricsSnapshot(activeConnections.get(), totalConnections.sum(), relayedConnections.sum(),
        bytesFromClients.sum(), bytesToClients.sum(), readPauses.sum(), httpRequestsForwarded.sum(), refusalCounts);
  }

  /** Renders the counters in the Prometheus text exposition format (version 0.0.4). */
  public String toPrometheusText() {
    MetricsSnapshot snapshot = snapshot();
    StringBuilder text = new StringBuilder();
    metric(text, "socks_gateway_connections_active", "gauge", "Client connections open now.",
        snapshot.activeConnections());
    metric(text, "socks_gateway_connections_total", "counter", "Client connections accepted.",
        snapshot.totalConnections());
    metric(text, "socks_gateway_connections_relayed_total", "counter", "Connections that reached a destination.",
        snapshot.relayedConnections());
    text.append("# HELP socks_gateway_bytes_total Bytes relayed, by direction.\n");
    text.append("# TYPE socks_gateway_bytes_total counter\n");
    text.append("socks_gateway_bytes_total{direction=\"client_to_destination\"} ")
        .append(snapshot.bytesFromClients()).append('\n');
    text.append("socks_gateway_bytes_total{direction=\"destination_to_client\"} ")
        .append(snapshot.bytesToClients()).append('\n');
    metric(text, "socks_gateway_read_pauses_total", "counter", "Reads paused by back-pressure.",
        snapshot.readPauses());
    metric(text, "socks_gateway_http_requests_forwarded_total", "counter",
        "Plain HTTP proxy requests sent on to their destination.", snapshot.httpRequestsForwarded());
    text.append("# HELP socks_gateway_refusals_total Refused connections, by reason.\n");
    text.append("# TYPE socks_gateway_refusals_total counter\n");
    for (RefusalReason reason : RefusalReason.values()) {
      text.append("socks_gateway_refusals_total{reason=\"").append(reason.label()).append("\"} ")
          .append(snapshot.refusals(reason)).append('\n');
    }
    return text.toString();
  }

  private static void metric(StringBuilder text, String name, String type, String help, long value) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    text.append(name).append(' ').append(value).append('\n');
  }
}
