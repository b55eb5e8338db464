package io.minicluster.proxy;

import static io.minicluster.proxy.Fixtures.CHAINS;
import static io.minicluster.proxy.Fixtures.firstPort;
import static io.minicluster.proxy.Fixtures.service;
import static io.minicluster.proxy.Fixtures.slice;
import static io.minicluster.proxy.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The applier and the backend choice against a fake iptables that keeps what was restored. */
class IptablesApplierTest {
  /**
   * Keeps the tables as iptables-restore --noflush would leave them (chains declared, which flushes them, rules
   * appended, inserted first, deleted, chains deleted), each rule in iptables-save's form; records every command.
   */
  static final class FakeIptables implements CommandRunner {
    final List<List<String>> commands = new ArrayList<>();
    final List<String> restores = new ArrayList<>();
    final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
    boolean conntrackInstalled = true;
    boolean failRestore;

    @Override
    public synchronized Result run(List<String> command, String stdin) throws IOException {
      commands.add(command);
      String tool = command.get(0);
      if (tool.equals("conntrack")) {
        if (!conntrackInstalled) {
          throw new IOException("Cannot run program \"conntrack\"");
        }
        return new Result(0, "", "");
      }
      if (tool.endsWith("-save")) {
        return new Result(0, save(), "");
      }
      if (tool.endsWith("-restore")) {
        if (failRestore) {
          return new Result(2, "", "iptables-restore: line 3 failed");
        }
        restores.add(stdin);
        restore(stdin);
        return new Result(0, "", "");
      }
      throw new IOException("unexpected " + command);
    }

    private void restore(String input) {
      Map<String, List<String>> table = null;
      for (String line : input.split("\n")) {
        String[] parts = line.split(" ", 3);
        if (line.startsWith("*")) {
          table = tables.computeIfAbsent(line.substring(1), t -> new LinkedHashMap<>());
        } else if (line.startsWith(":")) {
          table.put(parts[0].substring(1), new ArrayList<>());
        } else if (parts[0].equals("-A")) {
          table.computeIfAbsent(parts[1], c -> new ArrayList<>()).add(SavedForm.of(parts[2]));
        } else if (parts[0].equals("-I")) {
          table.computeIfAbsent(parts[1], c -> new ArrayList<>()).add(0, SavedForm.of(parts[2].split(" ", 2)[1]));
        } else if (parts[0].equals("-D")) {
          table.get(parts[1]).remove(SavedForm.of(parts[2]));
        } else if (parts[0].equals("-X")) {
          table.remove(parts[1]);
        }
      }
    }

    synchronized String save() {
      StringBuilder out = new StringBuilder();
      tables.forEach((name, chains) -> {
        out.append('*').append(name).append('\n');
        chains.keySet().forEach(chain -> out.append(':').append(chain).append(" - [0:0]\n"));
        chains.forEach((chain, rules) -> rules.forEach(rule -> out.append("-A ").append(chain).append(' ')
            .append(rule).append('\n')));
        out.append("COMMIT\n");
      });
      return out.toString();
    }

    List<String> conntrackCalls() {
      return commands.stream().filter(c -> c.get(0).equals("conntrack") && !c.contains("--version"))
          .map(c -> String.join(" ", c)).toList();
    }
  }

  private static RuleSet dns(String... endpoints) {
    ObjectNode dns = service("kube-system", "kube-dns", "10.96.0.10", 53);
    firstPort(dns).put("name", "dns").put("protocol", "UDP");
    ObjectNode slice = slice("kube-system", "kube-dns", endpoints);
    slice.putArray("ports").addObject().put("name", "dns").put("protocol", "UDP").put("port", 53);
    return ProxyRules.compute(List.of(Service.from(dns)), List.of(EndpointSlice.from(slice)), List.of(),
        ProxyConfig.of("node-a", "10.244.0.0/16", CHAINS));
  }

  @Test
  void eachSyncIsOneSaveAndOneRestoreWithNoflush() throws Exception {
    FakeIptables iptables = new FakeIptables();
    IptablesApplier applier = new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables));
    applier.apply(dns("10.244.0.2"));
    assertThat(iptables.commands).containsExactly(List.of("iptables-nft-save"),
        List.of("iptables-nft-restore", "-w", "5", "--noflush"));
    assertThat(applier.installed().chainsOf(Table.NAT, CHAINS)).contains(CHAINS.services());
  }

  @Test
  void betweenFullSyncsOnlyTheChainsThatChangedAreWrittenWithoutReadingTheTables() throws Exception {
    FakeIptables iptables = new FakeIptables();
    IptablesApplier applier = new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables),
        Duration.ofHours(1));
    RuleSet first = dns("10.244.0.2", "10.244.0.3");
    applier.apply(first);
    iptables.commands.clear();

    applier.apply(dns("10.244.0.2", "10.244.0.3"));
    assertThat(iptables.commands).as("nothing changed: nothing to run").isEmpty();

    RuleSet second = dns("10.244.0.2", "10.244.0.4");
    applier.apply(second);
    assertThat(iptables.commands.stream().filter(c -> !c.get(0).equals("conntrack")))
        .containsExactly(List.of("iptables-nft-restore", "-w", "5", "--noflush"));
    String input = iptables.restores.get(iptables.restores.size() - 1);
    IptablesState written = IptablesState.parse(input);
    String serviceChain = first.chains(Table.NAT).stream().filter(c -> c.startsWith(CHAINS.servicePrefix())).findFirst()
        .orElseThrow();
    // the service's chain and the new endpoint's chain are written, the unchanged endpoint's and the fixed ones not
    assertThat(written.chainsOf(Table.NAT, CHAINS)).contains(serviceChain).doesNotContain(CHAINS.markMasq(),
        CHAINS.postrouting(), CHAINS.services());
    List<String> newEndpoints = second.chains(Table.NAT).stream()
        .filter(c -> c.startsWith(CHAINS.endpointPrefix()) && !first.chains(Table.NAT).contains(c)).toList();
    List<String> goneEndpoints = first.chains(Table.NAT).stream()
        .filter(c -> c.startsWith(CHAINS.endpointPrefix()) && !second.chains(Table.NAT).contains(c)).toList();
    assertThat(newEndpoints).hasSize(1);
    assertThat(goneEndpoints).hasSize(1);
    assertThat(written.chainsOf(Table.NAT, CHAINS)).contains(newEndpoints.get(0));
    assertThat(input).contains("-X " + goneEndpoints.get(0) + "\n").doesNotContain("*filter");
    assertThat(applier.syncCounts()).containsExactly(1, 2);
  }

  @Test
  void aFullSyncWritesOnlyTheChainsWhoseInstalledRulesDifferFromTheWantedOnes() throws Exception {
    FakeIptables iptables = new FakeIptables();
    RuleSet set = dns("10.244.0.2", "10.244.0.3");
    new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables)).apply(set);
    String installed = iptables.save();

    // a restart's full sync over its own rules: nothing of ours is declared (flushed) and written again, no restore
    iptables.commands.clear();
    new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables)).apply(set);
    assertThat(iptables.commands).containsExactly(List.of("iptables-nft-save"));
    assertThat(iptables.save()).isEqualTo(installed);

    // drift: a rule of the service chain deleted, a rule changed in an endpoint chain, the postrouting chain gone
    // with its jump: exactly those chains (and the jump) are written again
    String serviceChain = set.chains(Table.NAT).stream().filter(c -> c.startsWith(CHAINS.servicePrefix()))
        .findFirst().orElseThrow();
    String endpointChain = set.chains(Table.NAT).stream().filter(c -> c.startsWith(CHAINS.endpointPrefix()))
        .findFirst().orElseThrow();
    Map<String, List<String>> nat = iptables.tables.get("nat");
    nat.get(serviceChain).remove(0);
    nat.get(endpointChain).set(1, nat.get(endpointChain).get(1).replace("10.244.0.", "10.244.9."));
    nat.remove(CHAINS.postrouting());
    nat.get("POSTROUTING").clear();
    new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables)).apply(set);
    String input = iptables.restores.get(iptables.restores.size() - 1);
    assertThat(IptablesState.parse(input).chainsOf(Table.NAT, CHAINS)).containsExactlyInAnyOrder(serviceChain,
        endpointChain, CHAINS.postrouting());
    assertThat(input).as("the filter table, as wanted, is not in the input").doesNotContain("*filter");
    assertThat(input).contains("-I POSTROUTING 1 ");
    assertThat(iptables.save().lines().sorted()).containsExactlyElementsOf(installed.lines().sorted().toList());
  }

  @Test
  void everySyncIsFullWhenTheFullSyncPeriodIsZero() throws Exception {
    FakeIptables iptables = new FakeIptables();
    IptablesApplier applier = new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables),
        Duration.ZERO);
    applier.apply(dns("10.244.0.2"));
    applier.apply(dns("10.244.0.2"));
    assertThat(iptables.commands.stream().filter(c -> c.get(0).equals("iptables-nft-save"))).hasSize(2);
  }

  @Test
  void udpFlowsToARemovedEndpointAreDeletedAndAServiceGettingItsFirstEndpointIsCleared() throws Exception {
    FakeIptables iptables = new FakeIptables();
    IptablesApplier applier = new IptablesApplier(iptables, IptablesBackend.LEGACY, CHAINS, new Conntrack(iptables));
    applier.apply(dns());
    applier.apply(dns("10.244.0.2", "10.244.0.3"));
    assertThat(iptables.conntrackCalls()).containsExactly("conntrack -D -p udp --orig-dst 10.96.0.10");
    applier.apply(dns("10.244.0.3"));
    assertThat(iptables.conntrackCalls()).containsExactly("conntrack -D -p udp --orig-dst 10.96.0.10",
        "conntrack -D -p udp --orig-dst 10.96.0.10 --dst-nat 10.244.0.2");
  }

  @Test
  void withoutTheConntrackToolNothingIsDeletedAndTheSyncStillSucceeds() throws Exception {
    FakeIptables iptables = new FakeIptables();
    iptables.conntrackInstalled = false;
    IptablesApplier applier = new IptablesApplier(iptables, IptablesBackend.LEGACY, CHAINS, new Conntrack(iptables));
    applier.apply(dns("10.244.0.2"));
    applier.apply(dns());
    assertThat(iptables.conntrackCalls()).isEmpty();
    assertThat(new Conntrack(iptables).available()).isFalse();
  }

  @Test
  void aFailedRestoreNamesTheLinesAroundTheError() {
    FakeIptables iptables = new FakeIptables();
    iptables.failRestore = true;
    IptablesApplier applier = new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables));
    assertThatThrownBy(() -> applier.apply(dns("10.244.0.2"))).isInstanceOf(IOException.class)
        .hasMessageContaining("line 3 failed").hasMessageContaining("3: -A " + CHAINS.markMasq() + " -m comment");
  }

  @Test
  void theBackendIsTheOneHoldingOurChainsElseTheOneWithMoreRules() {
    String docker = "*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -j DOCKER\n"
        + "-A DOCKER -i docker0 -j RETURN\nCOMMIT\n";
    String empty = "*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n";
    String ours = "*nat\n:" + CHAINS.services() + " - [0:0]\nCOMMIT\n";
    assertThat(IptablesBackend.choose(Optional.of(docker), Optional.of(empty), CHAINS)).isEqualTo(IptablesBackend.LEGACY);
    assertThat(IptablesBackend.choose(Optional.of(empty), Optional.of(docker), CHAINS)).isEqualTo(IptablesBackend.NFT);
    assertThat(IptablesBackend.choose(Optional.of(empty), Optional.of(empty), CHAINS)).isEqualTo(IptablesBackend.NFT);
    // a restart stays on the backend that holds our rules, even if the other one has grown more
    assertThat(IptablesBackend.choose(Optional.of(docker), Optional.of(ours), CHAINS)).isEqualTo(IptablesBackend.NFT);
    assertThat(IptablesBackend.choose(Optional.of("*mangle\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n"),
        Optional.of(docker), CHAINS)).isEqualTo(IptablesBackend.LEGACY);
    assertThat(IptablesBackend.choose(Optional.empty(), Optional.of(empty), CHAINS)).isEqualTo(IptablesBackend.NFT);
    assertThat(IptablesBackend.choose(Optional.of(empty), Optional.empty(), CHAINS)).isEqualTo(IptablesBackend.LEGACY);
    assertThat(IptablesBackend.choose(Optional.empty(), Optional.empty(), CHAINS)).isNull();
  }

  @Test
  void uninstallRemovesOurChainsAndJumps() throws Exception {
    FakeIptables iptables = new FakeIptables();
    IptablesApplier applier = new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS, new Conntrack(iptables));
    applier.apply(dns("10.244.0.2"));
    iptables.commands.clear();
    applier.uninstall();
    assertThat(iptables.commands).hasSize(2);
    assertThat(applier.installed().hasChainsOf(CHAINS)).isFalse();
  }
}
