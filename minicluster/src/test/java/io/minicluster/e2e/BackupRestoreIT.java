package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code minicluster backup} of a live background service, more changes, then {@code minicluster restore}: the cluster
 * comes back (restarted by restore itself) with exactly the backed-up objects, and the real kubectl sees them. A
 * damaged backup is refused before anything is touched.
 */
class BackupRestoreIT {
  @TempDir
  Path temporary;

  @Test
  void restoreBringsBackExactlyTheBackedUpObjects() throws Exception {
    Appliance appliance = new Appliance(temporary.resolve("appliance"), """
        api-port: %d
        bind-address: 127.0.0.1
        socks-port: -1
        offline: true
        node-agent: false
        """.formatted(DaemonProcess.freePort()));
    try {
      appliance.start().assertOk("minicluster start");
      Kubectl kubectl = appliance.kubectl();
      kubectl.run("create", "namespace", "restore-it").assertOk();
      kubectl.run("create", "configmap", "a", "-n", "restore-it", "--from-literal=v=1").assertOk();
      kubectl.run("create", "configmap", "b", "-n", "restore-it", "--from-literal=v=2").assertOk();

      Path backup = temporary.resolve("backups/cluster.tar.gz");
      HostTools.Result written = appliance.backup(backup).assertOk("minicluster backup");
      assertThat(written.stdout()).startsWith("backup written to " + backup + " (mode 0600): ");
      assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

      kubectl.run("create", "configmap", "c", "-n", "restore-it", "--from-literal=v=3").assertOk();
      kubectl.run("delete", "configmap", "a", "-n", "restore-it").assertOk();
      kubectl.run("create", "namespace", "after-backup").assertOk();
      long revisionBefore = listRevision(kubectl);
      long supervisorBefore = appliance.supervisor().orElseThrow().pid();

      // a damaged copy is refused and changes nothing
      byte[] bytes = Files.readAllBytes(backup);
      Path damaged = temporary.resolve("damaged.tar.gz");
      Files.write(damaged, Arrays.copyOf(bytes, bytes.length - 100));
      HostTools.Result refused = appliance.restore(damaged);
      assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
      assertThat(refused.stderr()).contains(damaged.toString()).contains("nothing was changed");
      assertThat(appliance.supervisor().orElseThrow().pid()).isEqualTo(supervisorBefore);
      // (every namespace also holds kube-root-ca.crt, the root CA publisher's, as on a real cluster)
      assertThat(names(kubectl, "configmaps", "-n", "restore-it")).containsExactly("b", "c", "kube-root-ca.crt");

      HostTools.Result restored = appliance.restore(backup).assertOk("minicluster restore");
      assertThat(restored.stdout()).contains("checked " + backup).contains("stopping minicluster")
          .contains("restored " + backup + ": the API answers");

      HostTools.waitUntil("the restored namespace's configmaps", Duration.ofSeconds(30),
          () -> names(kubectl, "configmaps", "-n", "restore-it").equals(Set.of("a", "b", "kube-root-ca.crt")));
      assertThat(kubectl.run("get", "namespace", "after-backup").exitCode()).isNotZero();
      assertThat(kubectl.run("get", "configmap", "a", "-n", "restore-it", "-o", "jsonpath={.data.v}").assertOk()
          .stdout()).isEqualTo("1");
      long revisionAfter = listRevision(kubectl);
      assertThat(revisionAfter).as("revisions never go back").isGreaterThan(revisionBefore);
      assertThat(appliance.supervisor().orElseThrow().pid()).isNotEqualTo(supervisorBefore);
      try (var siblings = Files.list(appliance.dataDir().getParent())) {
        assertThat(siblings.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("data.")))
            .as("the replaced state is removed once the restored cluster answers").isEmpty();
      }
      appliance.status().assertOk("minicluster status");
    } finally {
      appliance.forceStop();
    }
  }

  private static long listRevision(Kubectl kubectl) throws Exception {
    String list = kubectl.run("get", "--raw", "/api/v1/namespaces/restore-it/configmaps").assertOk().stdout();
    return new ObjectMapper().readTree(list).path("metadata").path("resourceVersion").asLong();
  }

  private static Set<String> names(Kubectl kubectl, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("get"));
    command.addAll(List.of(args));
    command.addAll(List.of("-o", "jsonpath={.items[*].metadata.name}"));
    String out = kubectl.run(command).assertOk().stdout().trim();
    return out.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(out.split("\\s+")));
  }
}
