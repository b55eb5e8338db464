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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The applier and the backend choice against a fake iptables that keeps what was restored. */
class IptablesApplierTest {
  /** Remembers the last restore input as the installed state; records every command. */
  static final class FakeIptables implements CommandRunner {
    final List<List<String>> commands = new ArrayList<>();
    String installed = "";
    boolean conntrackInstalled = true;
    boolean failRestore;

    @Override
    public Result run(List<String> command, String stdin) throws IOException {
      commands.add(command);
      String tool = command.get(0);
      if (tool.equals("conntrack")) {
        if (!conntrackInstalled) {
          throw new IOException("Cannot run program \"conntrack\"");
        }
        return new Result(0, "", "");
      }
      if (tool.endsWith("-save")) {
        return new Result(0, installed, "");
      }
      if (tool.endsWith("-restore")) {
        if (failRestore) {
          return new Result(2, "", "iptables-restore: line 3 failed");
        }
        // what iptables-save shows afterwards: the -I jumps as rules, deleted chains gone (good enough here)
        String state = stdin.replaceAll("(?m)^-I (\\S+) 1 ", "-A $1 ");
        for (String line : stdin.split("\n")) {
          if (line.startsWith("-X ")) {
            String chain = line.substring(3);
            state = state.replace(":" + chain + " - [0:0]\n", "").replaceAll("(?m)^-A " + chain + " .*\\n", "");
          }
        }
        installed = state.replaceAll("(?m)^-D .*\\n", "");
        return new Result(0, "", "");
      }
      throw new IOException("unexpected " + command);
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
    IptablesState written = IptablesState.parse(iptables.installed);
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
    assertThat(iptables.installed).contains("-X " + goneEndpoints.get(0) + "\n");
    assertThat(applier.syncCounts()).containsExactly(1, 2);
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
