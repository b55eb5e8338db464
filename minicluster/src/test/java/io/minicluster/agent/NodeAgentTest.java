package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The started agent: the shared pod informer feeds its workers the pods bound to its node, and only those. */
class NodeAgentTest {
  @TempDir
  Path directory;
  AgentHarness harness;

  @BeforeEach
  void setUp() {
    harness = new AgentHarness(directory);
    harness.runtime.addImage("nginx:1.25");
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void runsThePodsOfItsNodeAndTerminatesThemWhenDeleted() throws Exception {
    harness.start();
    String uid = runningPod("mine", 1);
    ObjectNode other = Json.parseObject("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"other"},"spec":{"nodeName":"node2","containers":[
          {"name":"web","image":"nginx:1.25"}]}}""");
    String otherUid = Meta.uid(harness.client.create(ResourceTypes.PODS, "default", other));

    assertThat(harness.runtime.instances(uid, "web")).hasSize(1);

    harness.client.delete(ResourceTypes.PODS, "default", "mine", new DeleteOptions(1L, null, null, null, false));
    await("pod 'mine' gone from the API and the engine", () ->
        harness.client.find(ResourceTypes.PODS, "default", "mine").isEmpty()
            && harness.runtime.sandboxes(uid).isEmpty() && harness.runtime.instances(uid, "web").isEmpty());
    // the informer delivered the other pod before the deletion: by now the agent has passed it over
    assertThat(harness.runtime.sandboxes(otherUid)).as("another node's pod").isEmpty();
    assertThat(harness.pod("other").path("status").path("phase").asText()).as("untouched").isEmpty();
  }

  @Test
  void theRunnerRunsAsideTheSyncsOfPodsBeingDeletedOrGone() throws Exception {
    harness.start();
    String uid = runningPod("web", 30);
    Predicate<String> aside = harness.agent.offload().when();
    assertThat(aside.test(uid)).as("a running pod").isFalse();
    assertThat(aside.test("no-such-uid")).as("a pod gone from the API").isTrue();

    harness.client.delete(ResourceTypes.PODS, "default", "web", new DeleteOptions(30L, null, null, null, false));

    await("pod 'web' deleting, its sync aside", () -> aside.test(uid));
  }

  /** Creates a pod of this node and waits for it to run; its UID. */
  private String runningPod(String name, int gracePeriodSeconds) throws InterruptedException {
    ObjectNode pod = harness.createPod("""
        {"metadata":{"name":"%s"},"spec":{"terminationGracePeriodSeconds":%d,"containers":[
          {"name":"web","image":"nginx:1.25"}]}}""".formatted(name, gracePeriodSeconds));
    await("pod '" + name + "' Running",
        () -> "Running".equals(harness.pod(name).path("status").path("phase").asText()));
    return Meta.uid(pod);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
