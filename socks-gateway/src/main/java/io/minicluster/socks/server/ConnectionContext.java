package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.metrics.GatewayMetrics;
import io.minicluster.socks.policy.RefusalReason;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Per-connection facts for the access log, and the connection's place in its {@link ConnectionSweeper}. Mutated
 * only on the client channel's event loop (the destination channel shares that loop).
 */
public final class ConnectionContext {

  static final AttributeKey<ConnectionContext> KEY = AttributeKey.valueOf(ConnectionContext.class, "connection");

  private final InetSocketAddress client;
  private final long startNanos;
  private long closedNanos;
  private final GatewayMetrics metrics;
  private String protocol = "-";
  private String destination = "-";
  private String destinationHost;
  private InetAddress destinationAddress;
  private int destinationPort;
  private String outcome = "closed before a request";
  private SocketAddress relayedTo;
  private RefusalReason refusal;
  private long bytesFromClient;
  private long bytesToClient;
  private Channel channel;
  private Phase phase = Phase.HANDSHAKE;
  /** Maintained by ConnectionSweeper. */
  int sweepIndex = -1;
  int ageTicks;
  int idleTicks;

  ConnectionContext(SocketAddress remote, GatewayMetrics metrics) {
    this.client = remote instanceof InetSocketAddress inet
        ? inet
        : InetSocketAddress.createUnresolved(String.valueOf(remote), 0);
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.startNanos = System.nanoTime();
  }

  /** The client channel; set once by the gateway's initializer. */
  Channel channel() {
    return channel;
  }

  void channel(Channel value) {
    this.channel = value;
  }

  /** Where a connection is in its life; each phase has its own timeout ({@link ConnectionSweeper}). */
  enum Phase {
    /** Before the first request: the handshake timeout applies. */
    HANDSHAKE,
    /** A plain-HTTP connection between requests: the HTTP idle (keep-alive) timeout applies. */
    AWAITING_REQUEST,
    /** Relaying, or serving one HTTP request: the relay idle timeout applies, if one is configured. */
    RELAYING
  }

  /** The handshake is over (relaying, or serving one HTTP request): from now on the relay idle timeout applies. */
  void endHandshake() {
    phase = Phase.RELAYING;
    idleTicks = 0;
  }

  /** A plain-HTTP connection finished a request and waits for the next one. */
  void awaitRequest() {
    phase = Phase.AWAITING_REQUEST;
    idleTicks = 0;
  }

  boolean handshakeDone() {
    return phase != Phase.HANDSHAKE;
  }

  Phase phase() {
    return phase;
  }

  /** Data moved in either direction. */
  void active() {
    idleTicks = 0;
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

  /**
   * The requested destination: a name or an address, and a port. Kept as given and formatted only for the access
   * log line, off the event loop.
   */
  void destination(String host, InetAddress address, int port) {
    this.destination = null;
    this.destinationHost = host;
    this.destinationAddress = address;
    this.destinationPort = port;
  }

  void outcome(String value) {
    this.outcome = value;
    this.relayedTo = null;
  }

  /** The outcome "relayed to" the destination's address, formatted only for the access log line. */
  void relayedTo(SocketAddress upstream) {
    this.outcome = null;
    this.relayedTo = upstream;
  }

  /** Records a refusal once (later calls are ignored) and counts it. */
  void refuse(RefusalReason reason, String detail) {
    if (refusal != null) {
      return;
    }
    refusal = reason;
    relayedTo = null;
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
    String destinationText = destination != null ? destination
        : destinationHost != null ? destinationHost + ":" + destinationPort
        : NetUtil.toSocketAddressString(new InetSocketAddress(destinationAddress, destinationPort));
    String outcomeText = relayedTo != null ? "relayed to " + SocketAddresses.describe(relayedTo) : outcome;
    return "client=" + clientText + " protocol=" + protocol + " destination=" + destinationText + " outcome=\""
        + outcomeText + "\" bytes_from_client=" + bytesFromClient + " bytes_to_client=" + bytesToClient
        + " duration_ms=" + millis;
  }
}
