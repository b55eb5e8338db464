package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
  @TempDir
  Path temporary;

  @Test
  void sendsReadyStatusAndStoppingAsDatagramsToNotifySocket() throws Exception {
    Path socket = temporary.resolve("notify");
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    EventLoopGroup group = new EpollEventLoopGroup(1);
    try {
      Channel receiver = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
          .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext context, DomainDatagramPacket packet) {
              received.add(packet.content().toString(StandardCharsets.UTF_8));
            }
          }).bind(new DomainSocketAddress(socket.toString())).sync().channel();
      SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()));
      assertThat(notifier.enabled()).isTrue();

      notifier.ready("API https://127.0.0.1:6443\nSOCKS 127.0.0.1:1080");
      notifier.status("renewing certificates");
      notifier.stopping("stopping");

      assertThat(received.poll(30, TimeUnit.SECONDS))
          .isEqualTo("READY=1\nSTATUS=API https://127.0.0.1:6443 SOCKS 127.0.0.1:1080");
      assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("STATUS=renewing certificates");
      assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("STOPPING=1\nSTATUS=stopping");
      receiver.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void withoutNotifySocketNothingIsSent() {
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of());
    assertThat(notifier.enabled()).isFalse();
    notifier.ready("ignored");
  }

  @Test
  void aMissingSocketIsLoggedNotThrown() {
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
        Map.of("NOTIFY_SOCKET", temporary.resolve("absent").toString()));
    notifier.ready("nobody listens");
  }

  @Test
  void theWatchdogIsPingedAtHalfItsPeriodOnlyWhenSystemdWatchesThisProcess() {
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
        Map.of("NOTIFY_SOCKET", temporary.resolve("notify").toString()));

    assertThat(notifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000"), 42))
        .contains(Duration.ofSeconds(30));
    assertThat(notifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "42"), 42))
        .contains(Duration.ofSeconds(30));
    assertThat(notifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "7"), 42))
        .as("the watchdog of another process").isEmpty();
    assertThat(notifier.watchdogInterval(Map.of(), 42)).as("no WatchdogSec in the unit").isEmpty();
    assertThat(notifier.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
    assertThat(SystemdNotifier.fromEnvironment(Map.of()).watchdogInterval(Map.of("WATCHDOG_USEC", "60000000"), 42))
        .as("no notification socket").isEmpty();
    assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@abstract"))
        .watchdogInterval(Map.of("WATCHDOG_USEC", "60000000"), 42))
        .as("pings from a systemd-notify child are refused under NotifyAccess=main").isEmpty();
  }

  @Test
  void watchdogSendsWatchdogOne() throws Exception {
    List<String> sent = new ArrayList<>();
    new SystemdNotifier(sent::add, "test", true).watchdog();

    assertThat(sent).containsExactly("WATCHDOG=1");
  }
}
