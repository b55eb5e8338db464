package io.minicluster.socks.metrics;

import io.minicluster.socks.policy.RefusalReason;
import java.util.Map;

/**
 * A point-in-time copy of {@link GatewayMetrics}.
 *
 * @param activeConnections client connections open now
 * @param totalConnections client connections accepted since start (including ones refused later)
 * @param relayedConnections connections that reached a destination
 * @param bytesFromClients bytes relayed client to destination
 * @param bytesToClients bytes relayed destination to client
 * @param readPauses times a side stopped reading because the other side could not keep up (back-pressure)
 * @param httpRequestsForwarded plain HTTP proxy requests sent on to their destination
 * @param refusals refusals by reason (every reason present, zero if none)
 */
public record MetricsSnapshot(
    long activeConnections,
    long totalConnections,
    long relayedConnections,
    long bytesFromClients,
    long bytesToClients,
    long readPauses,
    long httpRequestsForwarded,
    Map<RefusalReason, Long> refusals) {

  public MetricsSnapshot {
    refusals = Map.copyOf(refusals);
  }

  public long refusals(RefusalReason reason) {
    return refusals.getOrDefault(reason, 0L);
  }

  public long totalRefusals() {
    return refusals.values().stream().mapToLong(Long::longValue).sum();
  }
}
