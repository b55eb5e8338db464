package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.IptablesBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons on one host (as the integration tests run them, and as a second installation would) each program the
 * service proxy in chains of their own data directory: neither replaces nor removes the other's, the rules outlive a
 * kill -9, a restart adopts them without a second set of jumps, and {@code minicluster uninstall --iptables-only}
 * removes exactly one installation's chains and jumps, leaving iptables-save as it was before that daemon started.
 */
class ServiceProxyChainsIT {
  private static final List<String> NO_AGENT = List.of("--no-node-agent", "--socks-port", "-1");

  @TempDir
  Path temp;

  @Test
  void daemonsKeepToTheirOwnChainsWhichOutliveAKillAndGoWithUninstall() throws Exception {
    CommandRunner host = CommandRunner.host();
    Path dataA = temp.resolve("a");
    Path dataB = temp.resolve("b");
    Chains chainsA = Chains.forDataDir(dataA);
    Chains chainsB = Chains.forDataDir(dataB);
    assertThat(chainsA).isNotEqualTo(chainsB);
    IptablesBackend backend = IptablesBackend.detect(host, chainsA);
    String before = normalized(backend.save(host).orElseThrow());

    try (DaemonProcess a = new DaemonProcess(dataA, NO_AGENT).start();
        DaemonProcess b = new DaemonProcess(dataB, NO_AGENT).start()) {
      HostTools.waitUntil("both daemons' chains", Duration.ofSeconds(30),
          () -> ours(backend, chainsA).contains(":" + chainsA.services() + " ")
              && ours(backend, chainsB).contains(":" + chainsB.services() + " "));
      // each one's kubernetes service (both have 10.96.0.1) in its own chains, and B's full syncs leave A's alone
      HostTools.waitUntil("the kubernetes service in both", Duration.ofSeconds(30),
          () -> ours(backend, chainsA).contains("10.96.0.1/32") && ours(backend, chainsB).contains("10.96.0.1/32"));
      String rulesA = ours(backend, chainsA);

      a.kill();
      assertThat(ours(backend, chainsA)).as("A's rules after kill -9").isEqualTo(rulesA);
      // (killed again, not closed: closing a test daemon removes its rules, which is the uninstall's job here)
      // the same daemon again, on the same API port (the INPUT chain's rule names that port)
      DaemonProcess again = a.start();
      // its first sync (the log is appended to: the first run's line is in it too) changes nothing
      HostTools.waitUntil("the restarted daemon's first sync", Duration.ofSeconds(30),
          () -> Files.readString(again.log()).split("first sync applied", -1).length == 3);
      assertThat(ours(backend, chainsA)).as("A's rules after its restart: the same, one set of jumps")
          .isEqualTo(rulesA);
      again.kill();

      HostTools.Result uninstall = HostTools.run(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
          .toString(), "-jar", DaemonProcess.jar().toString(), "uninstall", "--iptables-only", "--no-config",
          "--data-dir", dataA.toString()), 60).assertOk("minicluster uninstall --iptables-only");
      assertThat(uninstall.stdout()).contains("removed the service proxy's iptables rules (" + chainsA.prefix());
      assertThat(ours(backend, chainsA)).as("A's chains and jumps after uninstall").isEmpty();
      assertThat(ours(backend, chainsB)).as("B's, untouched").contains(":" + chainsB.services() + " ");
    }
    // B's close removes B's, as the uninstall of B would: nothing of either is left
    assertThat(ours(backend, chainsA) + ours(backend, chainsB)).isEmpty();
    assertThat(normalized(backend.save(host).orElseThrow()).lines()).as("iptables-save before and after")
        .containsAll(before.lines().filter(line -> !line.contains("DOCKER") && !line.contains("br-")).toList());
  }

  /** The lines of iptables-save naming one daemon's chains, without counters. */
  private static String ours(IptablesBackend backend, Chains chains) {
    return normalized(backend.save(CommandRunner.host()).orElseThrow()).lines()
        .filter(line -> line.contains(chains.prefix())).collect(Collectors.joining("\n"));
  }

  private static String normalized(String save) {
    return save.lines().filter(line -> !line.startsWith("#")).map(line -> line.replaceAll("\\[\\d+:\\d+\\]", ""))
        .collect(Collectors.joining("\n"));
  }
}
