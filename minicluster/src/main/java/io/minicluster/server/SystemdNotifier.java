package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd about the service's state (sd_notify): {@code READY=1} once the API answers, so that {@code systemctl
 * start} returns only then ({@code Type=notify}); {@code STOPPING=1} when shutting down; {@code STATUS=} lines for
 * {@code systemctl status}. Does nothing unless {@code NOTIFY_SOCKET} is set.
 *
 * <p>The notification socket is a Unix <i>datagram</i> socket. The JDK's Unix domain sockets (Java 16+) are stream
 * sockets only, so the datagram is sent with Netty's native epoll transport, which the daemon ships already. Where that
 * transport does not load, or the socket is in the abstract namespace ({@code @name}, which Netty's datagram send does
 * not address correctly), {@code systemd-notify} is run instead; systemd accepts its messages only with {@code
 * NotifyAccess=all} in the unit.
 */
public final class SystemdNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

  /** Sends one notification datagram. */
  interface Transport {
    void send(String message) throws IOException, InterruptedException;
  }

  private final Transport transport;
  private final String description;
  private final boolean fromMainProcess;

  SystemdNotifier(Transport transport, String description, boolean fromMainProcess) {
    this.transport = transport;
    this.description = description;
    this.fromMainProcess = fromMainProcess;
  }

  /** A notifier for {@code NOTIFY_SOCKET} in {@code environment}; a silent one when it is not set. */
  public static SystemdNotifier fromEnvironment(Map<String, String> environment) {
    String socket = environment.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return new SystemdNotifier(null, "none", false);
    }
    if (socket.startsWith("/") && Epoll.isAvailable()) {
      return new SystemdNotifier(new DatagramTransport(socket), socket, true);
    }
    return new SystemdNotifier(SystemdNotifier::runSystemdNotify, "systemd-notify (" + socket + ")", false);
  }

  /**
   * How often to ping systemd's watchdog ({@code WatchdogSec=} in the unit: half the period systemd passes in {@code
   * WATCHDOG_USEC}, as sd_watchdog_enabled advises); empty when systemd watches no watchdog of this process, or when
   * the pings would come from a {@code systemd-notify} child, which {@code NotifyAccess=main} would not accept.
   */
  public Optional<Duration> watchdogInterval(Map<String, String> environment, long pid) {
    String usec = environment.get("WATCHDOG_USEC");
    if (transport == null || usec == null || usec.isBlank()) {
      return Optional.empty();
    }
    String watchedPid = environment.get("WATCHDOG_PID");
    if (watchedPid != null && !watchedPid.isBlank() && !watchedPid.trim().equals(Long.toString(pid))) {
      return Optional.empty();
    }
    long period;
    try {
      period = Long.parseLong(usec.trim());
    } catch (NumberFormatException e) {
      LOG.warn("WATCHDOG_USEC is not a number of microseconds: {}; not pinging systemd's watchdog", usec);
      return Optional.empty();
    }
    if (period <= 0) {
      return Optional.empty();
    }
    if (!fromMainProcess) {
      LOG.warn("systemd watches this service's watchdog, but notifications go through {}, which NotifyAccess=main "
          + "does not accept: not pinging it", description);
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(period * 1_000 / 2));
  }

  /** Whether notifications go anywhere. */
  public boolean enabled() {
    return transport != null;
  }

  /** {@code READY=1} with a status line. */
  public void ready(String status) {
    notify("READY=1\nSTATUS=" + oneLine(status));
  }

  /** {@code STOPPING=1} with a status line. */
  public void stopping(String status) {
    notify("STOPPING=1\nSTATUS=" + oneLine(status));
  }

  /** {@code WATCHDOG=1}: the service is alive (see {@link #watchdogInterval}). */
  public void watchdog() {
    notify("WATCHDOG=1");
  }

  /** A status line only. */
  public void status(String status) {
    notify("STATUS=" + oneLine(status));
  }

  private void notify(String message) {
    if (transport == null) {
      return;
    }
    try {
      transport.send(message);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot notify systemd through {}: {}", description, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String oneLine(String text) {
    return requireNonNull(text, "status is null").replace('\n', ' ');
  }

  /**
   * Datagrams to one socket path over one connected channel, opened at the first message and kept (the watchdog pings
   * every few seconds); a failed send drops the channel, so the next message connects again. The event loop's one
   * thread is a daemon thread.
   */
  static final class DatagramTransport implements Transport {
    private final String path;
    private EventLoopGroup group;
    private Channel channel;

    DatagramTransport(String path) {
      this.path = requireNonNull(path, "path is null");
    }

    @Override
    public synchronized void send(String message) throws IOException, InterruptedException {
      if (channel == null || !channel.isActive()) {
        connect();
      }
      try {
        channel.writeAndFlush(Unpooled.wrappedBuffer(message.getBytes(StandardCharsets.UTF_8))).sync();
      } catch (Exception e) {
        channel.close();
        channel = null;
        throw new IOException("sending to " + path + " failed: " + e, e);
      }
    }

    private void connect() throws IOException, InterruptedException {
      if (group == null) {
        group = new EpollEventLoopGroup(1, runnable -> {
          Thread thread = new Thread(runnable, "systemd-notify");
          thread.setDaemon(true);
          return thread;
        });
      }
      // a connected datagram socket: an unbound, unconnected one counts as inactive and Netty refuses to write
      try {
        channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
            .handler(new ChannelInboundHandlerAdapter()).connect(new DomainSocketAddress(path)).sync().channel();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        channel = null;
        throw new IOException("cannot reach " + path + ": " + e, e);
      }
    }
  }

  private static void runSystemdNotify(String message) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("systemd-notify"));
    command.addAll(List.of(message.split("\n")));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("systemd-notify did not finish");
    }
    if (process.exitValue() != 0) {
      throw new IOException("systemd-notify exited with " + process.exitValue() + ": " + output);
    }
  }
}
