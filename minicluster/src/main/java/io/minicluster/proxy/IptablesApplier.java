package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs rule sets with one {@code iptables-restore --noflush} per sync (the kernel swaps each table at once, so a
 * new set, also the first one after a restart, replaces the old one without a moment with no rules). A full sync
 * (the first, the one after a failure, and then at least every {@code fullSyncPeriod}) reads what is installed (one
 * iptables-save) and writes every chain that is not installed exactly as wanted: chains of ours that the set no longer
 * has and stray jumps are removed in the same transaction, so the first sync after a start also removes what a previous
 * run left behind, a chain changed behind our back is written again, and a missing jump (someone flushed a built-in
 * chain) comes back; when all is as wanted, nothing is restored. Between full syncs, as kube-proxy does, only the
 * chains that changed since the last sync are written. Nothing is flushed when the daemon stops: the rules keep
 * serving until the next start replaces them.
 */
public final class IptablesApplier {
  private static final Logger LOG = LoggerFactory.getLogger(IptablesApplier.class);
  private static final Pattern LINE = Pattern.compile("line:? (\\d+)");

  private final CommandRunner runner;
  private final IptablesBackend backend;
  private final Chains chains;
  private final Conntrack conntrack;
  private final long fullSyncNanos;
  private RuleSet applied;
  private long lastFullSync;
  private long fullSyncs;
  private long partialSyncs;

  /** An applier that syncs fully every 30 s (kube-proxy's sync period). */
  public IptablesApplier(CommandRunner runner, IptablesBackend backend, Chains chains, Conntrack conntrack) {
    this(runner, backend, chains, conntrack, ProxyConfig.DEFAULT_SYNC_PERIOD);
  }

  /** An applier of the rule sets named by {@code chains}: the only chains it writes and removes. */
  public IptablesApplier(CommandRunner runner, IptablesBackend backend, Chains chains, Conntrack conntrack,
      Duration fullSyncPeriod) {
    this.runner = requireNonNull(runner, "runner is null");
    this.backend = requireNonNull(backend, "backend is null");
    this.chains = requireNonNull(chains, "chains is null");
    this.conntrack = requireNonNull(conntrack, "conntrack is null");
    this.fullSyncNanos = fullSyncPeriod.toNanos();
  }

  /** The number of full and of partial syncs so far. */
  public synchronized long[] syncCounts() {
    return new long[] {fullSyncs, partialSyncs};
  }

  public IptablesBackend backend() {
    return backend;
  }

  /** What is installed now (nat and filter). */
  public IptablesState installed() throws IOException {
    CommandRunner.Result result = runner.run(List.of(backend.saveCommand()), null);
    if (!result.ok()) {
      throw new IOException(backend.saveCommand() + " failed: " + result.stderr().strip());
    }
    return IptablesState.parse(result.stdout());
  }

  /** Makes the installed rules {@code set}, then clears the UDP flows of endpoints that went away. */
  public synchronized void apply(RuleSet set) throws IOException {
    requireNonNull(set, "set is null");
    if (!set.names().equals(chains)) {
      throw new IllegalArgumentException("a rule set of " + set.names() + " given to the applier of " + chains);
    }
    RuleSet previous = applied;
    long now = System.nanoTime();
    boolean full = previous == null || now - lastFullSync >= fullSyncNanos;
    // a failure forgets what is installed (applied = null): the next sync is a full one
    applied = null;
    if (full) {
      String input = set.restoreInput(installed());
      if (!input.isEmpty()) {
        restore(input);
      }
      lastFullSync = now;
      fullSyncs++;
    } else {
      String input = set.partialRestoreInput(previous);
      if (!input.isEmpty()) {
        restore(input);
      }
      partialSyncs++;
    }
    applied = set;
    if (previous != null) {
      clearStaleFlows(previous, set);
    }
  }

  /** Removes everything of this proxy: the jumps from built-in chains and its chains. */
  public synchronized void uninstall() throws IOException {
    String input = RuleSet.uninstallInput(installed(), chains);
    if (!input.isEmpty()) {
      restore(input);
    }
    applied = null;
  }

  /**
   * Removes the rules of the proxy named {@code chains} from every iptables backend of the host (for {@code minicluster
   * uninstall}); returns the backends that had some.
   */
  public static List<IptablesBackend> uninstallEverywhere(CommandRunner runner, Chains chains) throws IOException {
    List<IptablesBackend> cleaned = new ArrayList<>();
    for (IptablesBackend backend : IptablesBackend.values()) {
      String save = backend.save(runner).orElse(null);
      if (save != null && IptablesState.parse(save).hasChainsOf(chains)) {
        new IptablesApplier(runner, backend, chains, new Conntrack(runner)).uninstall();
        cleaned.add(backend);
      }
    }
    return cleaned;
  }

  private void restore(String input) throws IOException {
    CommandRunner.Result result = runner.run(List.of(backend.restoreCommand(), "-w", "5", "--noflush"), input);
    if (!result.ok()) {
      throw new IOException(backend.restoreCommand() + " failed: " + result.stderr().strip() + context(input,
          result.stderr()));
    }
  }

  /** The lines around the one iptables-restore names in its error ("line N failed"). */
  private static String context(String input, String error) {
    Matcher matcher = LINE.matcher(error);
    if (!matcher.find()) {
      return "";
    }
    int line = Integer.parseInt(matcher.group(1));
    String[] lines = input.split("\n");
    StringBuilder out = new StringBuilder(" near:");
    for (int i = Math.max(0, line - 3); i < Math.min(lines.length, line + 2); i++) {
      out.append("\n  ").append(i + 1).append(": ").append(lines[i]);
    }
    return out.toString();
  }

  /**
   * kube-proxy's conntrack clean-up for UDP: flows to an endpoint that is gone are deleted (per service address and
   * node port), and flows to a service address that had no endpoint (they hold the rejection) once it has one.
   */
  private void clearStaleFlows(RuleSet previous, RuleSet current) {
    for (Map.Entry<String, RuleSet.ProxiedPort> entry : previous.ports().entrySet()) {
      RuleSet.ProxiedPort before = entry.getValue();
      if (!before.protocol().equals("udp")) {
        continue;
      }
      RuleSet.ProxiedPort after = current.ports().get(entry.getKey());
      Set<String> remaining = after == null ? Set.of() : new HashSet<>(after.endpointIps());
      for (String endpoint : before.endpointIps()) {
        if (remaining.contains(endpoint)) {
          continue;
        }
        LOG.debug("clearing UDP flows of {} to the removed endpoint {}", before.name(), endpoint);
        for (String address : before.addresses()) {
          conntrack.deleteServiceFlows(address, endpoint);
        }
        if (before.nodePort() != 0) {
          conntrack.deleteNodePortFlows(before.nodePort(), endpoint);
        }
      }
    }
    for (RuleSet.ProxiedPort after : current.ports().values()) {
      RuleSet.ProxiedPort before = previous.ports().get(after.name());
      if (after.protocol().equals("udp") && !after.endpointIps().isEmpty()
          && (before == null || before.endpointIps().isEmpty())) {
        for (String address : after.addresses()) {
          conntrack.deleteFlowsTo(address);
        }
      }
    }
  }
}
