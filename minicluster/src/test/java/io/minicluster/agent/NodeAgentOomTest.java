package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.api.meta.ListOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet's SystemOOM warnings on the node, from kernel OOM reports fed to the agent's watcher. */
class NodeAgentOomTest {
  private static final String FOREIGN = "f".repeat(64);
  @TempDir
  Path directory;
  AgentHarness harness;

  @BeforeEach
  void setUp() {
    harness = new AgentHarness(directory);
    harness.runtime.addImage("nginx:1.25");
    harness.start();
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private void memcgKill(String containerId, String process, long pid) {
    Instant now = harness.clock.instant().plusSeconds(1);
    harness.kernelLog.kernel(now, process + " invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
        + "oom_score_adj=0");
    harness.kernelLog.kernel(now, "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=" + containerId
        + ",mems_allowed=0,oom_memcg=/docker/" + containerId + ",task_memcg=/docker/" + containerId + ",task="
        + process + ",pid=" + pid + ",uid=0");
    harness.kernelLog.kernel(now, "Memory cgroup out of memory: Killed process " + pid + " (" + process
        + ") total-vm:9856kB, anon-rss:7680kB, file-rss:1264kB, shmem-rss:0kB, UID:0 pgtables:64kB");
  }

  private List<ObjectNode> systemOoms() {
    return harness.client.list(ResourceTypes.EVENTS, "default", ListOptions.ALL).items().stream()
        .filter(event -> event.path("reason").asText().equals("SystemOOM")).toList();
  }

  @Test
  void aKillOutsideThePodsIsTheNodesSystemOomWarning() {
    memcgKill(FOREIGN, "tail", 8885);
    Eventually.assertThat(() -> assertThat(systemOoms()).singleElement().satisfies(event -> {
      assertThat(event.path("type").asText()).isEqualTo("Warning");
      assertThat(event.path("message").asText()).isEqualTo("System OOM encountered, victim process: tail, pid: 8885");
      assertThat(event.path("involvedObject").path("kind").asText()).isEqualTo("Node");
      assertThat(event.path("involvedObject").path("name").asText()).isEqualTo("node1");
      assertThat(event.path("involvedObject").path("uid").asText()).isEqualTo("node1");
      assertThat(event.path("source").path("component").asText()).isEqualTo("kubelet");
    }));
  }

  @Test
  void aPodContainerReachingItsOwnLimitIsNoSystemOom() throws Exception {
    harness.createPod("""
        {"metadata":{"name":"hog"},"spec":{"containers":[{"name":"hog","image":"nginx:1.25"}]}}""");
    // the runner's own sync of the new pod may be writing its status at the same time: wait for the container's ID
    Eventually.assertThat(() -> {
      harness.sync("hog");
      assertThat(AgentHarness.containerStatus(harness.pod("hog"), "hog").path("containerID").asText())
          .startsWith("docker://");
    });
    String containerId = AgentHarness.containerStatus(harness.pod("hog"), "hog").path("containerID").asText()
        .substring("docker://".length());
    memcgKill(containerId, "hog", 10);
    // then a kill the whole machine's shortage caused: reported, as the kubelet does, even inside a pod
    Instant now = harness.clock.instant().plusSeconds(2);
    harness.kernelLog.kernel(now, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,"
        + "global_oom,task_memcg=/docker/" + containerId + ",task=hog,pid=11,uid=0");
    harness.kernelLog.kernel(now, "Out of memory: Killed process 11 (hog) total-vm:1kB, anon-rss:1kB");
    Eventually.assertThat(() -> assertThat(systemOoms()).singleElement().extracting(event ->
        event.path("message").asText()).isEqualTo("System OOM encountered, victim process: hog, pid: 11"));
    assertThat(harness.oomWatcher.killed(containerId)).isPresent();
  }
}
