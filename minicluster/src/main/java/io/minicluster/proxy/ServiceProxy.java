package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Node;
import io.minicluster.api.core.NodeAddress;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service proxy: every change of a service, endpoint slice or node asks for a sync; a sync computes the whole
 * desired rule set from the informers' caches and applies it. Nothing is applied before the three informers have
 * delivered their first list (an empty cache would remove every rule a previous run installed), so a restart keeps
 * the old rules until the new set replaces them. Stopping leaves the rules in place; {@link #uninstall} removes them.
 */
public final class ServiceProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  /** The address types of a node that take node ports (v1.NodeInternalIP, v1.NodeExternalIP). */
  private static final List<String> NODE_ADDRESS_TYPES = List.of("InternalIP", "ExternalIP");

  private final ProxyConfig config;
  private final IptablesApplier applier;
  private final BridgeHairpin hairpin;
  private final Informer<Service> services;
  private final Informer<EndpointSlice> slices;
  private final Informer<Node> nodes;
  private final SyncRunner runner;
  private volatile boolean closed;
  private volatile RuleSet lastApplied;

  public ServiceProxy(SharedInformers informers, ProxyConfig config, IptablesApplier applier, BridgeHairpin hairpin,
      SyncRunner.Timer timer) {
    requireNonNull(informers, "informers is null");
    this.config = requireNonNull(config, "config is null");
    this.applier = requireNonNull(applier, "applier is null");
    this.hairpin = requireNonNull(hairpin, "hairpin is null");
    this.services = informers.informer(Kinds.SERVICES);
    this.slices = informers.informer(Kinds.ENDPOINT_SLICES);
    this.nodes = informers.informer(Kinds.NODES);
    this.runner = new SyncRunner(this::sync, config.minSyncPeriod(), config.syncPeriod(), timer);
    Informer.Handler<Object> changed = new Informer.Handler<>() {
      @Override
      public void onAdd(Object object) {
        runner.request();
      }

      @Override
      public void onUpdate(Object old, Object object) {
        if (old != object) {
          runner.request();
        }
      }

      @Override
      public void onDelete(Object object) {
        runner.request();
      }
    };
    services.addHandler(changed);
    slices.addHandler(changed);
    nodes.addHandler(changed);
  }

  /** Starts the informers and, once all three have synced, the sync loop (the wait runs on a thread of its own). */
  public void start() {
    services.start();
    slices.start();
    nodes.start();
    Thread starter = new Thread(this::startWhenSynced, "service-proxy-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void startWhenSynced() {
    try {
      for (Informer<?> informer : List.of(services, slices, nodes)) {
        while (!closed && !informer.waitForSync(10, TimeUnit.SECONDS)) {
          LOG.info("the service proxy waits for the {} informer before its first sync", informer.type().plural());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (!closed) {
      LOG.info("service proxy: iptables backend {}, first sync", applier.backend().name().toLowerCase());
      runner.start();
    }
  }

  /** One full sync: hairpin mode on new pod ports, then the desired set from the caches, applied. */
  void sync() throws IOException {
    List<String> hairpinned = hairpin.enable();
    if (!hairpinned.isEmpty()) {
      LOG.debug("service proxy: hairpin mode on for {}", hairpinned);
    }
    RuleSet set = ProxyRules.compute(services.list(), slices.list(), nodeAddresses(nodes, config.nodeName()),
        config);
    long start = System.nanoTime();
    applier.apply(set);
    if (lastApplied == null) {
      LOG.info("service proxy: first sync applied in {} ms ({} service ports, {} rules in {})",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), set.ports().size(), set.ruleCount(),
          config.chains());
    }
    lastApplied = set;
    LOG.debug("service proxy: {} service ports, {} rules applied in {} ms", set.ports().size(), set.ruleCount(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** The node's addresses that take node ports and load-balancer traffic (InternalIP, then ExternalIP, IPv4). */
  static List<String> nodeAddresses(Informer<Node> nodes, String nodeName) {
    List<String> addresses = new ArrayList<>();
    nodes.get(null, nodeName).ifPresent(node -> {
      for (NodeAddress address : node.status().addresses()) {
        if (NODE_ADDRESS_TYPES.contains(address.type()) && ProxyRules.isIpv4(address.address())
            && !addresses.contains(address.address())) {
          addresses.add(address.address());
        }
      }
    });
    return addresses;
  }

  /** The rule set applied last, or null before the first sync. */
  public RuleSet lastApplied() {
    return lastApplied;
  }

  /** The number of syncs so far. */
  public long syncs() {
    return runner.syncs();
  }

  /** Removes the proxy's rules (uninstall); the proxy must be stopped first or it installs them again. */
  public void uninstall() throws IOException {
    applier.uninstall();
  }

  /** Stops syncing; the installed rules stay (they keep serving until the next start replaces them). */
  @Override
  public void close() {
    closed = true;
    runner.close();
  }
}
