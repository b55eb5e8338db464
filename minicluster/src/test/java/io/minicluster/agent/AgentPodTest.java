package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

/** The pod as the agent reads it from the informer: the record, and each container's hash of its stored JSON. */
class AgentPodTest {

  @Test
  void theHashOfAContainerIsStableAcrossReleases() {
    // a changed value would restart every container of an upgraded node
    ObjectNode container = Json.parseObject("""
        {"name":"app","image":"busybox:1","command":["sleep","3600"],"resources":{"limits":{"cpu":"1"}}}""");
    ObjectNode reordered = Json.parseObject("""
        {"resources":{"limits":{"cpu":"1"}},"command":["sleep","3600"],"image":"busybox:1","name":"app"}""");

    assertThat(AgentPod.hash(container)).isEqualTo("b09d7a45a83c6355").isEqualTo(AgentPod.hash(reordered));
  }

  @Test
  void decodesThePodRecordAndHashesEachContainersTreeAsStored() {
    ObjectNode tree = Json.parseObject("""
        {"metadata":{"name":"p","namespace":"default","uid":"u1"},
         "spec":{"initContainers":[{"name":"setup","image":"x","unmodelled":{"kept":"in the hash"}}],
          "containers":[{"name":"app","image":"busybox:1","command":["sleep","3600"],
            "resources":{"limits":{"cpu":"1"}}},{"name":"log","image":"y"}]}}""");

    AgentPod pod = AgentPod.from(tree);

    assertThat(pod.pod()).isEqualTo(Pod.from(tree));
    assertThat(pod.uid()).isEqualTo("u1");
    assertThat(pod.configHash(container(pod, "app"))).isEqualTo("b09d7a45a83c6355");
    assertThat(pod.configHash(container(pod, "log")))
        .isEqualTo(AgentPod.hash(tree.path("spec").path("containers").get(1)));
    assertThat(pod.configHash(container(pod, "setup"))).as("a field the record does not model still counts")
        .isEqualTo(AgentPod.hash(tree.path("spec").path("initContainers").get(0)))
        .isNotEqualTo(AgentPod.hash(Json.parseObject("{\"name\":\"setup\",\"image\":\"x\"}")));
  }

  @Test
  void aPodWithoutSpecHasNoHashes() {
    AgentPod pod = AgentPod.from(Json.parseObject("{\"metadata\":{\"name\":\"p\",\"uid\":\"u2\"}}"));

    assertThat(pod.configHashes()).isEmpty();
    assertThat(pod.pod().spec().containers()).isEmpty();
  }

  private static Container container(AgentPod pod, String name) {
    return PodSpecs.container(pod.pod(), name).orElseThrow();
  }
}
