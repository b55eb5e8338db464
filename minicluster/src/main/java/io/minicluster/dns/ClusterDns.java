package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS of the daemon: the {@link DnsServer} over the informers' {@link InformerDirectory}, on the pod
 * network's gateway address (the host's address on the pods' bridge, which pods reach directly), and the
 * {@code kube-system/kube-dns} service pointing at it. The address exists once the node agent made the pod network, so
 * the server is bound on a thread of its own that tries again until it can (the address may also be held by another
 * daemon on the same bridge until that one stops); its endpoint is published once it serves.
 */
public final class ClusterDns implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);

  private final DnsServerConfig config;
  private final InformerDirectory directory;
  private final KubeDnsService service;
  private final Duration retry;
  private volatile boolean closed;
  private volatile DnsServer server;
  private Thread starter;

  public ClusterDns(DnsServerConfig config, InformerDirectory directory, KubeDnsService service, Duration retry) {
    this.config = requireNonNull(config, "config is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.service = requireNonNull(service, "service is null");
    this.retry = requireNonNull(retry, "retry is null");
  }

  /**
   * The upstreams of the forwarder: the configured ones, or else the host's resolvers (past systemd-resolved's stub),
   * never the cluster DNS address itself on port 53 (the service proxy would send that back here).
   */
  public static List<InetSocketAddress> upstreams(List<String> configured, Path resolvConf, Path systemdResolved,
      InetAddress clusterDns) {
    List<InetSocketAddress> upstreams = new ArrayList<>();
    if (!configured.isEmpty()) {
      configured.forEach(text -> upstreams.add(ResolvConf.upstream(text)));
    } else {
      try {
        upstreams.addAll(ResolvConf.host(resolvConf, systemdResolved).upstreams());
      } catch (IOException e) {
        LOG.warn("DNS: cannot read {} ({}): names outside the cluster will not resolve", resolvConf, e.getMessage());
      }
    }
    upstreams.removeIf(upstream -> upstream.getPort() == 53 && upstream.getAddress().equals(clusterDns));
    return List.copyOf(upstreams);
  }

  /** Creates the service now, then binds the server (and publishes its endpoint) as soon as its address exists. */
  public void start() {
    directory.start();
    service.ensureService();
    starter = new Thread(this::serve, "cluster-dns-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void serve() {
    for (int attempt = 0; !closed; attempt++) {
      try {
        DnsServer started = DnsServer.start(config, directory);
        synchronized (this) {
          if (closed) {
            started.close();
            return;
          }
          server = started;
        }
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (attempt == 0) {
          LOG.info("DNS: cannot serve on {}:{} yet ({}); trying again every {} s", config.listenAddress()
              .getHostAddress(), config.port(), e.getMessage(), retry.toSeconds());
        }
      }
      try {
        Thread.sleep(retry.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
    InetSocketAddress bound = server.address();
    for (int attempt = 0; !closed; attempt++) {
      try {
        service.publishEndpoint(bound.getAddress().getHostAddress(), bound.getPort());
        return;
      } catch (RuntimeException e) {
        if (attempt == 0) {
          LOG.warn("DNS: cannot publish the endpoint of {}/{} (trying again every {} s): {}",
              KubeDnsService.NAMESPACE, KubeDnsService.NAME, retry.toSeconds(), e.getMessage());
        }
      }
      try {
        Thread.sleep(retry.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The server once it serves, else null. */
  public DnsServer server() {
    return server;
  }

  @Override
  public void close() {
    DnsServer running;
    synchronized (this) {
      closed = true;
      running = server;
    }
    if (starter != null) {
      starter.interrupt();
    }
    if (running != null) {
      running.close();
    }
  }
}
