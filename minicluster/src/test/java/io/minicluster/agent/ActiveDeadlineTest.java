package io.minicluster.agent;

import static io.minicluster.agent.AgentHarness.condition;
import static io.minicluster.agent.AgentHarness.containerStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.activeDeadlineSeconds, as the kubelet's activeDeadlineHandler enforces it. */
class ActiveDeadlineTest {
  @TempDir
  Path directory;
  AgentHarness harness;
  TestRuntime runtime;

  @BeforeEach
  void setUp() {
    harness = new AgentHarness(directory);
    runtime = harness.runtime;
    runtime.addImage("nginx:1.25");
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private ObjectNode web(int activeDeadlineSeconds) {
    return harness.createPod("""
        {"metadata":{"name":"web"},"spec":{"activeDeadlineSeconds":%d,"terminationGracePeriodSeconds":5,
          "containers":[{"name":"web","image":"nginx:1.25"}]}}""".formatted(activeDeadlineSeconds));
  }

  @Test
  void aPodPastItsActiveDeadlineFailsAndItsContainersAreKilled() throws Exception {
    String uid = Meta.uid(web(30));
    Duration wake = harness.sync("web");
    assertThat(harness.pod("web").path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(wake).as("the worker comes back at the deadline").isLessThanOrEqualTo(Duration.ofSeconds(30));

    harness.clock.advance(Duration.ofSeconds(29));
    harness.sync("web");
    assertThat(harness.pod("web").path("status").path("phase").asText()).isEqualTo("Running");

    harness.clock.advance(Duration.ofSeconds(1));
    harness.sync("web");
    ObjectNode pod = harness.pod("web");
    assertThat(pod.path("status").path("phase").asText()).isEqualTo("Failed");
    assertThat(pod.path("status").path("reason").asText()).isEqualTo("DeadlineExceeded");
    assertThat(pod.path("status").path("message").asText())
        .isEqualTo("Pod was active on the node longer than the specified deadline");
    assertThat(runtime.instances(uid, "web")).allMatch(instance -> !instance.running());
    assertThat(runtime.sandboxes(uid)).allMatch(sandbox -> !sandbox.running());
    assertThat(containerStatus(pod, "web").path("state").has("terminated")).isTrue();
    assertThat(condition(pod, "Ready")).isEqualTo("False");
    harness.awaitEvents(
        "DeadlineExceeded: Pod was active on the node longer than the specified deadline",
        "Killing: Stopping container web");

    // a failed pod stays failed: no container is started again
    harness.sync("web");
    assertThat(runtime.instances(uid, "web")).hasSize(1);
    assertThat(harness.pod("web").path("status").path("phase").asText()).isEqualTo("Failed");
  }

  @Test
  void aPodWithoutADeadlineRunsOn() {
    String uid = Meta.uid(harness.createPod("""
        {"metadata":{"name":"web"},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}"""));
    harness.sync("web");
    harness.clock.advance(Duration.ofDays(30));
    harness.sync("web");
    assertThat(harness.pod("web").path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(runtime.instances(uid, "web")).allMatch(instance -> instance.running());
  }
}
