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
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a requested destination into a connected channel: resolves names and asks the policy, then connects on the
 * client's event loop. Callbacks run on that event loop.
 *
 * <p>The resolver and the policy run on the resolver executor (never on the event loop) unless neither may block
 * ({@link DestinationPolicy#mayBlock()}, {@link NameResolver#mayBlock()}, and no system DNS lookup could be
 * needed): then they run directly on the event loop, which saves two thread hand-offs per connection.
 *
 * <p>Balancing: a name the resolver answers with several addresses gets one picked at random per connection; a
 * policy that maps the destination to several addresses ({@link PolicyDecision#connectTo()}, a service's ready
 * endpoints) gets up to {@link PolicyDecision#MAX_ATTEMPTS} of them in random order, the next tried when connecting
 * to one is refused, unreachable or times out.
 */
final class DestinationConnector {

  private static final Logger LOG = LoggerFactory.getLogger(DestinationConnector.class);

  interface Callback {
    void connected(Channel upstream);

    void refused(RefusalReason reason, String detail);
  }

  /** Failures of one endpoint after which another endpoint of the same destination is worth a try. */
  private static final Set<RefusalReason> RETRYABLE = EnumSet.of(RefusalReason.CONNECTION_REFUSED,
      RefusalReason.HOST_UNREACHABLE, RefusalReason.NETWORK_UNREACHABLE, RefusalReason.CONNECT_TIMEOUT);

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

  /** Refused (reason and detail), or allowed with the addresses to try in order. */
  private record Verdict(RefusalReason refusal, String detail, List<InetSocketAddress> candidates) {
    static Verdict refused(RefusalReason reason, String detail) {
      return new Verdict(reason, detail, List.of());
    }

    static Verdict connect(List<InetSocketAddress> candidates) {
      return new Verdict(null, null, candidates);
    }
  }

  /** A resolved name: its addresses, or a refusal. */
  private record Lookup(List<InetAddress> addresses, Verdict refusal) {
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
          Lookup resolved = resolve(name);
          if (resolved.refusal() != null) {
            return resolved.refusal();
          }
          target = pickOne(resolved.addresses());
        }
      }
      PolicyDecision decision = policy.evaluate(new DestinationRequest(clientAddress, requestedHost, target, port));
      if (!decision.allowed()) {
        return Verdict.refused(decision.reason(), decision.detail());
      }
      if (decision.connectTo().isEmpty()) {
        return Verdict.connect(List.of(new InetSocketAddress(target, port)));
      }
      return Verdict.connect(pickInRandomOrder(decision.connectTo(), PolicyDecision.MAX_ATTEMPTS));
    } catch (RuntimeException e) {
      LOG.warn("resolver or policy failed for {}:{}", host != null ? host : address, port, e);
      return Verdict.refused(RefusalReason.GENERAL_FAILURE, "internal error: " + e);
    }
  }

  private static <T> T pickOne(List<T> choices) {
    return choices.size() == 1 ? choices.get(0) : choices.get(ThreadLocalRandom.current().nextInt(choices.size()));
  }

  /** Up to {@code count} distinct elements in random order (the first steps of a Fisher-Yates shuffle). */
  static <T> List<T> pickInRandomOrder(List<T> choices, int count) {
    if (choices.size() == 1) {
      return choices;
    }
    List<T> shuffled = new ArrayList<>(choices);
    int picks = Math.min(count, shuffled.size());
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < picks; i++) {
      Collections.swap(shuffled, i, i + random.nextInt(shuffled.size() - i));
    }
    return List.copyOf(shuffled.subList(0, picks));
  }

  private Lookup resolve(String name) {
    Resolution resolution;
    try {
      resolution = resolver.resolve(name);
    } catch (Exception e) {
      LOG.warn("name resolver failed for {}", name, e);
      return new Lookup(null, Verdict.refused(RefusalReason.GENERAL_FAILURE, "resolver failed: " + e.getMessage()));
    }
    if (resolution instanceof Resolution.Resolved resolved) {
      return new Lookup(resolved.addresses(), null);
    }
    if (resolution instanceof Resolution.Unknown) {
      return new Lookup(null, Verdict.refused(RefusalReason.NAME_NOT_FOUND, "no such name: " + name));
    }
    if (!systemDnsAllowed) {
      return new Lookup(null, Verdict.refused(RefusalReason.NAME_NOT_ALLOWED,
          "name not served by this gateway: " + name));
    }
    try {
      return new Lookup(List.of(InetAddress.getByName(name)), null);
    } catch (UnknownHostException e) {
      return new Lookup(null, Verdict.refused(RefusalReason.NAME_NOT_FOUND, "system DNS does not know " + name));
    }
  }

  private void finish(Channel client, Verdict verdict, int port, Callback callback) {
    if (verdict.refusal() != null) {
      callback.refused(verdict.refusal(), verdict.detail());
      return;
    }
    attempt(client, verdict.candidates(), 0, callback);
  }

  /**
   * Connects to {@code candidates[index]}; if that fails for a reason another endpoint might not share (refused,
   * unreachable, timed out), tries the next candidate.
   */
  private void attempt(Channel client, List<InetSocketAddress> candidates, int index, Callback callback) {
    if (!client.isActive()) {
      callback.refused(RefusalReason.GENERAL_FAILURE, "client went away");
      return;
    }
    InetSocketAddress destination = candidates.get(index);
    ChannelFuture future = upstreamConnector.connect(client, destination);
    future.addListener(done -> {
      if (done.isSuccess()) {
        if (client.isActive()) {
          callback.connected(future.channel());
        } else {
          future.channel().close();
          callback.refused(RefusalReason.GENERAL_FAILURE, "client went away");
        }
        return;
      }
      RefusalReason reason = ConnectFailures.reasonFor(done.cause());
      if (index + 1 < candidates.size() && RETRYABLE.contains(reason)) {
        LOG.debug("connect to {} failed ({}), trying another endpoint", destination, reason.label());
        attempt(client, candidates, index + 1, callback);
        return;
      }
      callback.refused(reason, String.valueOf(done.cause().getMessage()));
    });
  }
}
