package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.DestinationPolicy;
import io.minicluster.socks.policy.DestinationRequest;
import io.minicluster.socks.policy.PolicyDecision;
import io.minicluster.socks.policy.RefusalReason;
import io.minicluster.socks.resolve.NameResolver;
import io.minicluster.socks.resolve.Resolution;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a requested destination into a connected channel: resolves names and asks the policy, then connects on the
 * client's event loop. Callbacks run on that event loop.
 *
 * <p>The resolver and the policy run on the resolver executor (never on the event loop) unless neither may block
 * ({@link DestinationPolicy#mayBlock()}, {@link NameResolver#mayBlock()}, and no system DNS lookup could be
 * needed): then they run directly on the event loop, which saves two thread hand-offs per connection.
 */
final class DestinationConnector {

  private static final Logger LOG = LoggerFactory.getLogger(DestinationConnector.class);

  interface Callback {
    void connected(Channel upstream);

    void refused(RefusalReason reason, String detail);
  }

  private final NameResolver resolver;
  private final boolean systemDnsAllowed;
  private final DestinationPolicy policy;
  private final Executor executor;
  private final UpstreamConnector upstreamConnector;

  DestinationConnector(NameResolver resolver, boolean systemDnsAllowed, DestinationPolicy policy, Executor executor,
      UpstreamConnector upstreamConnector) {
    this.resolver = requireNonNull(resolver, "resolver is null");
    this.systemDnsAllowed = systemDnsAllowed;
    this.policy = requireNonNull(policy, "policy is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.upstreamConnector = requireNonNull(upstreamConnector, "upstreamConnector is null");
  }

  /**
   * Connects to {@code host} (a name or an IP literal) or {@code address}; exactly one is non-null.
   */
  void connect(Channel client, InetSocketAddress clientAddress, String host, InetAddress address, int port,
      Callback callback) {
    if (client.eventLoop().inEventLoop() && decidableWithoutBlocking(host, address)) {
      finish(client, decide(clientAddress, host, address, port), port, callback);
      return;
    }
    try {
      executor.execute(() -> {
        Verdict verdict = decide(clientAddress, host, address, port);
        client.eventLoop().execute(() -> finish(client, verdict, port, callback));
      });
    } catch (RejectedExecutionException e) {
      callback.refused(RefusalReason.GENERAL_FAILURE, "resolver executor is saturated");
    }
  }

  private boolean decidableWithoutBlocking(String host, InetAddress address) {
    if (policy.mayBlock()) {
      return false;
    }
    if (address != null || (!resolver.mayBlock() && !systemDnsAllowed)) {
      return true;
    }
    return Cidr.parseAddressLiteral(normalizeHost(host)) != null;
  }

  /** Normalizes a client-supplied host: lower case, no trailing dot, no IPv6 brackets. */
  static String normalizeHost(String host) {
    String normalized = host.trim().toLowerCase(Locale.ROOT);
    if (normalized.endsWith(".")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return normalized;
  }

  private record Verdict(InetAddress address, RefusalReason refusal, String detail, InetSocketAddress connectTo) {
    Verdict(InetAddress address, RefusalReason refusal, String detail) {
      this(address, refusal, detail, null);
    }
  }

  private Verdict decide(InetSocketAddress clientAddress, String host, InetAddress address, int port) {
    try {
      String requestedHost = null;
      InetAddress target = address;
      if (target == null) {
        String name = normalizeHost(host);
        target = Cidr.parseAddressLiteral(name);
        if (target == null) {
          requestedHost = name;
          Verdict resolved = resolve(name);
          if (resolved.refusal() != null) {
            return resolved;
          }
          target = resolved.address();
        }
      }
      PolicyDecision decision = policy.evaluate(new DestinationRequest(clientAddress, requestedHost, target, port));
      if (!decision.allowed()) {
        return new Verdict(null, decision.reason(), decision.detail());
      }
      return new Verdict(target, null, null, decision.connectTo());
    } catch (RuntimeException e) {
      LOG.warn("resolver or policy failed for {}:{}", host != null ? host : address, port, e);
      return new Verdict(null, RefusalReason.GENERAL_FAILURE, "internal error: " + e);
    }
  }

  private Verdict resolve(String name) {
    Resolution resolution;
    try {
      resolution = resolver.resolve(name);
    } catch (Exception e) {
      LOG.warn("name resolver failed for {}", name, e);
      return new Verdict(null, RefusalReason.GENERAL_FAILURE, "resolver failed: " + e.getMessage());
    }
    if (resolution instanceof Resolution.Resolved resolved) {
      return new Verdict(resolved.address(), null, null);
    }
    if (resolution instanceof Resolution.Unknown) {
      return new Verdict(null, RefusalReason.NAME_NOT_FOUND, "no such name: " + name);
    }
    if (!systemDnsAllowed) {
      return new Verdict(null, RefusalReason.NAME_NOT_ALLOWED, "name not served by this gateway: " + name);
    }
    try {
      return new Verdict(InetAddress.getByName(name), null, null);
    } catch (UnknownHostException e) {
      return new Verdict(null, RefusalReason.NAME_NOT_FOUND, "system DNS does not know " + name);
    }
  }

  private void finish(Channel client, Verdict verdict, int port, Callback callback) {
    if (verdict.refusal() != null) {
      callback.refused(verdict.refusal(), verdict.detail());
      return;
    }
    if (!client.isActive()) {
      callback.refused(RefusalReason.GENERAL_FAILURE, "client went away");
      return;
    }
    InetSocketAddress destination = verdict.connectTo() != null ? verdict.connectTo()
        : new InetSocketAddress(verdict.address(), port);
    ChannelFuture future = upstreamConnector.connect(client, destination);
    future.addListener(done -> {
      if (done.isSuccess()) {
        if (client.isActive()) {
          callback.connected(future.channel());
        } else {
          future.channel().close();
          callback.refused(RefusalReason.GENERAL_FAILURE, "client went away");
        }
      } else {
        callback.refused(ConnectFailures.reasonFor(done.cause()), String.valueOf(done.cause().getMessage()));
      }
    });
  }
}
