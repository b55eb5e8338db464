package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One desired rule set: the chains of ours in the nat and filter tables with their rules, and what each service port
 * was given (for conntrack clean-up). {@link #restoreInput} turns it into one iptables-restore input that replaces
 * whatever of ours is installed.
 */
public final class RuleSet {
  /**
   * A proxied service port: its name ({@code ns/svc:port}), protocol (lower case), the addresses it answers on
   * (cluster IP, external IPs, load-balancer IPs), its node port (0: none) and the endpoint IPs rules lead to.
   */
  public record ProxiedPort(String name, String protocol, List<String> addresses, int nodePort,
      List<String> endpointIps) {
    public ProxiedPort {
      requireNonNull(name, "name is null");
      requireNonNull(protocol, "protocol is null");
      addresses = List.copyOf(addresses);
      endpointIps = List.copyOf(endpointIps);
    }
  }

  private final Chains names;
  private final Map<Table, Map<String, List<String>>> chains;
  private final Map<String, ProxiedPort> ports;

  RuleSet(Chains names, Map<Table, Map<String, List<String>>> chains, Map<String, ProxiedPort> ports) {
    this.names = requireNonNull(names, "names is null");
    Map<Table, Map<String, List<String>>> copy = new EnumMap<>(Table.class);
    for (Map.Entry<Table, Map<String, List<String>>> table : chains.entrySet()) {
      Map<String, List<String>> tableCopy = new LinkedHashMap<>();
      table.getValue().forEach((chain, rules) -> tableCopy.put(chain, List.copyOf(rules)));
      copy.put(table.getKey(), Collections.unmodifiableMap(tableCopy));
    }
    this.chains = Collections.unmodifiableMap(copy);
    this.ports = Map.copyOf(ports);
  }

  /** The naming of the chains (whose they are). */
  public Chains names() {
    return names;
  }

  /** The chains of a table, in the order they are written. */
  public Set<String> chains(Table table) {
    return chains.getOrDefault(table, Map.of()).keySet();
  }

  /** The rules of a chain (without "-A chain"). */
  public List<String> rules(Table table, String chain) {
    return chains.getOrDefault(table, Map.of()).getOrDefault(chain, List.of());
  }

  /** The proxied service ports by name. */
  public Map<String, ProxiedPort> ports() {
    return ports;
  }

  /** The number of rules of ours. */
  public int ruleCount() {
    int count = 0;
    for (Map<String, List<String>> table : chains.values()) {
      for (List<String> rules : table.values()) {
        count += rules.size();
      }
    }
    return count;
  }

  /**
   * The iptables-restore input (for {@code --noflush}) that makes the installed rules this set, given what is
   * installed: each chain of ours is declared (which flushes it) and filled unless it is installed with exactly the
   * rules that would be written (in iptables-save's form, {@link SavedForm}: kube-proxy's partial sync writes only the
   * chains that changed, and with what is installed in hand a full sync can tell too; the nft backend pays for every
   * rule written, 1,000 services with 3 endpoints cost 0.3 s of CPU rewritten), chains of ours no longer wanted are
   * flushed and deleted, a missing jump from a built-in chain is inserted first in that chain, and jumps to our chains
   * that are duplicates or lead to a chain no longer wanted are deleted. The whole input is one transaction, of the
   * tables that change only; empty when nothing does.
   */
  public String restoreInput(IptablesState installed) {
    requireNonNull(installed, "installed is null");
    StringBuilder out = new StringBuilder(64 * (ruleCount() + 64));
    for (Table table : Table.values()) {
      Set<String> desired = chains(table);
      List<String> stale = new ArrayList<>();
      for (String chain : installed.chainsOf(table, names)) {
        if (!desired.contains(chain)) {
          stale.add(chain);
        }
      }
      int start = out.length();
      out.append('*').append(table.iptablesName()).append('\n');
      int header = out.length();
      Map<String, List<String>> tableChains = chains.getOrDefault(table, Map.of());
      Set<String> written = new HashSet<>();
      Set<String> installedChains = installed.chains(table);
      for (Map.Entry<String, List<String>> chain : tableChains.entrySet()) {
        if (!installedChains.contains(chain.getKey()) || !installed.hasRules(table, chain.getKey(),
            SavedForm.of(chain.getValue()))) {
          written.add(chain.getKey());
        }
      }
      writeChains(out, tableChains, written);
      for (String chain : stale) {
        out.append(':').append(chain).append(" - [0:0]\n");
      }
      Set<String> kept = new HashSet<>();
      for (String chain : installed.chains(table)) {
        if (names.ours(chain)) {
          continue;
        }
        for (String rule : installed.rules(table, chain)) {
          String target = IptablesState.target(rule);
          if (target == null || !names.ours(target)) {
            continue;
          }
          boolean wanted = desired.contains(target) && names.isJump(table, chain, target)
              && kept.add(chain + " " + target);
          if (!wanted) {
            out.append("-D ").append(chain).append(' ').append(rule).append('\n');
          }
        }
      }
      for (Chains.Jump jump : names.jumps()) {
        if (jump.table() == table && !kept.contains(jump.from() + " " + jump.to())) {
          out.append("-I ").append(jump.from()).append(" 1 ").append(jump.spec()).append('\n');
        }
      }
      for (String chain : stale) {
        out.append("-X ").append(chain).append('\n');
      }
      commitOrDrop(out, start, header);
    }
    return out.toString();
  }

  /**
   * Ends the table section begun at {@code start} (its header ending at {@code header}): with COMMIT, or, when nothing
   * was written after the header, by dropping it. A table not mentioned is not touched at all: iptables-legacy-restore
   * would read and write back a whole table for an empty section.
   */
  private static void commitOrDrop(StringBuilder out, int start, int header) {
    if (out.length() == header) {
      out.setLength(start);
    } else {
      out.append("COMMIT\n");
    }
  }

  /**
   * kube-proxy's partial sync: the iptables-restore input (for {@code --noflush}) that turns the installed {@code
   * previous} set (as applied, with its jumps) into this one by rewriting only the chains whose rules changed and
   * deleting the chains no longer wanted; no iptables-save is needed. Only the tables that change are in it; empty when
   * nothing changed.
   */
  public String partialRestoreInput(RuleSet previous) {
    requireNonNull(previous, "previous is null");
    StringBuilder out = new StringBuilder();
    for (Table table : Table.values()) {
      Map<String, List<String>> desired = chains.getOrDefault(table, Map.of());
      Map<String, List<String>> before = previous.chains.getOrDefault(table, Map.of());
      Set<String> rewritten = new HashSet<>();
      for (Map.Entry<String, List<String>> chain : desired.entrySet()) {
        if (!chain.getValue().equals(before.get(chain.getKey()))) {
          rewritten.add(chain.getKey());
        }
      }
      List<String> stale = new ArrayList<>();
      for (String chain : before.keySet()) {
        if (!desired.containsKey(chain)) {
          stale.add(chain);
        }
      }
      int start = out.length();
      out.append('*').append(table.iptablesName()).append('\n');
      int header = out.length();
      writeChains(out, desired, rewritten);
      for (String chain : stale) {
        out.append(':').append(chain).append(" - [0:0]\n");
      }
      for (String chain : stale) {
        out.append("-X ").append(chain).append('\n');
      }
      commitOrDrop(out, start, header);
    }
    return out.toString();
  }

  /**
   * The iptables-restore input (for {@code --noflush}) that removes everything of {@code names} that is installed: the
   * jumps from built-in chains, then the chains (flushed, then deleted). Empty when none of them is installed.
   */
  public static String uninstallInput(IptablesState installed, Chains names) {
    requireNonNull(installed, "installed is null");
    requireNonNull(names, "names is null");
    StringBuilder out = new StringBuilder();
    for (Table table : Table.values()) {
      List<String> ours = installed.chainsOf(table, names);
      StringBuilder deletions = new StringBuilder();
      for (String chain : installed.chains(table)) {
        if (names.ours(chain)) {
          continue;
        }
        for (String rule : installed.rules(table, chain)) {
          String target = IptablesState.target(rule);
          if (target != null && names.ours(target)) {
            deletions.append("-D ").append(chain).append(' ').append(rule).append('\n');
          }
        }
      }
      if (ours.isEmpty() && deletions.length() == 0) {
        continue;
      }
      out.append('*').append(table.iptablesName()).append('\n');
      for (String chain : ours) {
        out.append(':').append(chain).append(" - [0:0]\n");
      }
      out.append(deletions);
      for (String chain : ours) {
        out.append("-X ").append(chain).append('\n');
      }
      out.append("COMMIT\n");
    }
    return out.toString();
  }

  /**
   * Writes {@code written} (chains of one table, each declared, which creates or flushes it, then filled): a chain after
   * the chains of {@code written} it jumps to, and otherwise in descending name order. iptables-nft-restore 1.8.x
   * with {@code --noflush} keeps the names of the chains an input mentions in a list sorted ascending, scanned from its
   * head for every chain named by a line (the chain and its jump target). In this order the chains named so far are,
   * but for a few fixed ones, above the chain being written ({@link Chains} names a service's chains below its
   * endpoints' chains, which they jump to), so the scans stop at once; with every chain declared first each line
   * scanned half of thousands of names, and 1,000 services with 3 endpoints each took 3 times the CPU to restore.
   */
  private static void writeChains(StringBuilder out, Map<String, List<String>> rules, Set<String> written) {
    List<String> order = new ArrayList<>(written);
    order.sort(Comparator.reverseOrder());
    Set<String> done = new HashSet<>();
    for (String chain : order) {
      writeChain(out, rules, written, chain, done);
    }
  }

  private static void writeChain(StringBuilder out, Map<String, List<String>> rules, Set<String> written,
      String chain, Set<String> done) {
    if (!done.add(chain)) {
      return;
    }
    List<String> chainRules = rules.get(chain);
    for (String rule : chainRules) {
      String target = IptablesState.target(rule);
      if (target != null && written.contains(target)) {
        writeChain(out, rules, written, target, done);
      }
    }
    out.append(':').append(chain).append(" - [0:0]\n");
    for (String rule : chainRules) {
      out.append("-A ").append(chain).append(' ').append(rule).append('\n');
    }
  }
}
