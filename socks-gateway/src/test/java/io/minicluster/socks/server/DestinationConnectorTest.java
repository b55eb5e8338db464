package io.minicluster.socks.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.socks.policy.CidrAllowListPolicy;
import io.minicluster.socks.policy.DestinationPolicy;
import io.minicluster.socks.policy.RefusalReason;
import io.minicluster.socks.resolve.NameResolver;
import io.minicluster.socks.resolve.Resolution;
import io.minicluster.socks.resolve.StaticNameResolver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** When the resolver and policy run on the event loop and when they are handed to the resolver executor. */
class DestinationConnectorTest {

  private static final InetAddress TEN_ONE = address(10, 0, 0, 1);
  private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

  private final List<Runnable> queued = new ArrayList<>();
  private final Executor recordingExecutor = queued::add;
  private final List<InetSocketAddress> connects = new ArrayList<>();
  private final List<String> outcomes = new ArrayList<>();
  private final DestinationPolicy cidrPolicy = CidrAllowListPolicy.parse(List.of("10.0.0.0/8"));
  private final NameResolver staticResolver =
      new StaticNameResolver(Map.of("web.test", TEN_ONE), List.of(".test"));

  @Test
  void nonBlockingPolicyAndAddressDecideOnTheEventLoop() {
    connect(new DestinationConnector(staticResolver, false, cidrPolicy, recordingExecutor, this::upstream),
        null, TEN_ONE);
    assertThat(queued).isEmpty();
    assertThat(outcomes).containsExactly("connected");
    assertThat(connects).containsExactly(new InetSocketAddress(TEN_ONE, 80));
  }

  @Test
  void nonBlockingResolverDecidesNamesOnTheEventLoop() {
    DestinationConnector connector =
        new DestinationConnector(staticResolver, false, cidrPolicy, recordingExecutor, this::upstream);
    connect(connector, "WEB.test.", null);
    connect(connector, "missing.test", null);
    connect(connector, "10.0.0.1", null);
    assertThat(queued).isEmpty();
    assertThat(outcomes).containsExactly("connected", "refused " + RefusalReason.NAME_NOT_FOUND, "connected");
  }

  @Test
  void possibleSystemDnsLookupGoesToTheExecutor() {
    DestinationConnector connector =
        new DestinationConnector(staticResolver, true, cidrPolicy, recordingExecutor, this::upstream);
    connect(connector, "web.test", null);
    assertThat(queued).hasSize(1);
    assertThat(outcomes).isEmpty();
    connect(connector, "10.0.0.1", null);
    assertThat(queued).hasSize(1);
    assertThat(outcomes).containsExactly("connected");
  }

  @Test
  void blockingPolicyOrResolverGoesToTheExecutor() {
    DestinationPolicy blockingPolicy = cidrPolicy::evaluate;
    NameResolver blockingResolver = host -> Resolution.resolved(TEN_ONE);
    connect(new DestinationConnector(staticResolver, false, blockingPolicy, recordingExecutor, this::upstream),
        null, TEN_ONE);
    connect(new DestinationConnector(blockingResolver, false, cidrPolicy, recordingExecutor, this::upstream),
        "web.test", null);
    assertThat(queued).hasSize(2);
    assertThat(outcomes).isEmpty();
    runQueued();
    assertThat(outcomes).containsExactly("connected", "connected");
  }

  @Test
  void builtInResolversAndPolicyDoNotBlock() {
    assertThat(NameResolver.none().mayBlock()).isFalse();
    assertThat(staticResolver.mayBlock()).isFalse();
    assertThat(cidrPolicy.mayBlock()).isFalse();
    assertThat(DestinationPolicy.denyAll().mayBlock()).isFalse();
  }

  private final List<EmbeddedChannel> clients = new ArrayList<>();

  private void connect(DestinationConnector connector, String host, InetAddress address) {
    EmbeddedChannel client = new EmbeddedChannel();
    clients.add(client);
    connector.connect(client, CLIENT, host, address, 80, new DestinationConnector.Callback() {
      @Override
      public void connected(Channel upstream) {
        outcomes.add("connected");
      }

      @Override
      public void refused(RefusalReason reason, String detail) {
        outcomes.add("refused " + reason);
      }
    });
    client.runPendingTasks();
  }

  private void runQueued() {
    for (Runnable task : List.copyOf(queued)) {
      task.run();
    }
    clients.forEach(EmbeddedChannel::runPendingTasks);
  }

  private ChannelFuture upstream(Channel clientChannel, InetSocketAddress destination) {
    connects.add(destination);
    return new EmbeddedChannel().newSucceededFuture();
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
