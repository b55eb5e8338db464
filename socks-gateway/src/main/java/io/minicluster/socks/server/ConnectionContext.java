package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.metrics.GatewayMetrics;
import io.minicluster.socks.policy.RefusalReason;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Per-connection facts for the access log. Mutated only on the client channel's event loop (the destination
 * channel shares that loop).
 */
public final class ConnectionContext {

  static final AttributeKey<ConnectionContext> KEY = AttributeKey.valueOf(ConnectionContext.class, "connection");

  private final InetSocketAddress client;
  private final long startNanos;
  private long closedNanos;
  private final GatewayMetrics metrics;
  private String protocol = "-";
  private String destination = "-";
  private String outcome = "closed before a request";
  private RefusalReason refusal;
  private long bytesFromClient;
  private long bytesToClient;

  ConnectionContext(SocketAddress remote, GatewayMetrics metrics) {
    this.client = remote instanceof InetSocketAddress inet
        ? inet
        : InetSocketAddress.createUnresolved(String.valueOf(remote), 0);
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.startNanos = System.nanoTime();
  }

  static ConnectionContext of(Channel channel) {
    return channel.attr(KEY).get();
  }

  public InetSocketAddress client() {
    return client;
  }

  void protocol(String value) {
    this.protocol = value;
  }

  void destination(String value) {
    this.destination = value;
  }

  void outcome(String value) {
    this.outcome = value;
  }

  /** Records a refusal once (later calls are ignored) and counts it. */
  void refuse(RefusalReason reason, String detail) {
    if (refusal != null) {
      return;
    }
    refusal = reason;
    outcome = "refused " + reason.label() + (detail == null ? "" : " (" + detail + ")");
    metrics.refused(reason);
  }

  RefusalReason refusal() {
    return refusal;
  }

  void addBytesFromClient(long count) {
    bytesFromClient += count;
    metrics.bytesFromClient(count);
  }

  void addBytesToClient(long count) {
    bytesToClient += count;
    metrics.bytesToClient(count);
  }

  /** Records the end of the connection, for the access log's duration (the line may be written later). */
  void closed() {
    closedNanos = System.nanoTime();
  }

  String accessLogLine() {
    long millis = ((closedNanos != 0 ? closedNanos : System.nanoTime()) - startNanos) / 1_000_000;
    String clientText = client.getAddress() == null
        ? client.getHostString()
        : client.getAddress().getHostAddress() + ":" + client.getPort();
    return "client=" + clientText + " protocol=" + protocol + " destination=" + destination + " outcome=\""
        + outcome + "\" bytes_from_client=" + bytesFromClient + " bytes_to_client=" + bytesToClient
        + " duration_ms=" + millis;
  }
}
