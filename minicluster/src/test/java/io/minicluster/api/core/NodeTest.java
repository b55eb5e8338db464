package io.minicluster.api.core;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.meta.Condition;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTest {

  @Test
  void decodesTheNodeStatusManagersFields() {
    Node node = Node.from(fixture("core/node.json"));

    assertThat(node.metadata().name()).isEqualTo("minicluster");
    assertThat(node.metadata().labels()).containsEntry("node-role.kubernetes.io/control-plane", "");
    assertThat(node.spec()).isEqualTo(new NodeSpec("10.88.0.0/16", List.of("10.88.0.0/16"), "", true,
        List.of(new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule",
            Instant.parse("2026-12-07T08:30:00Z")))));
    assertThat(node.status().capacity().get("cpu")).isEqualTo(Quantity.parse("2"));
    assertThat(node.status().allocatable().get("memory")).isEqualTo(Quantity.parse("3924132Ki"));
    assertThat(node.status().allocatable().get("pods").value()).isEqualTo(110);
    assertThat(node.status().conditions()).extracting(Condition::type)
        .containsExactly("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
    Condition ready = node.status().condition("Ready").orElseThrow();
    assertThat(ready.isTrue()).isTrue();
    assertThat(ready.reason()).isEqualTo("KubeletReady");
    assertThat(ready.lastHeartbeatTime()).isEqualTo(Instant.parse("2026-12-07T08:50:00Z"));
    assertThat(node.status().addresses()).containsExactly(new NodeAddress("InternalIP", "192.168.1.20"),
        new NodeAddress("Hostname", "minicluster"));
    assertThat(node.status().daemonEndpoints().kubeletEndpoint().port()).isEqualTo(10250);
    assertThat(node.status().nodeInfo().kubeletVersion()).isEqualTo("v1.35.0");
    assertThat(node.status().nodeInfo().architecture()).isEqualTo("amd64");
    assertThat(node.status().nodeInfo().containerRuntimeVersion()).isEqualTo("docker://27.3.1");
    assertThat(assertDeeplyImmutable(node)).isGreaterThan(5);
  }

  @Test
  void anEmptyObjectDecodesToZeroValues() {
    Node node = Node.from(Json.object());

    assertThat(node.spec().unschedulable()).isFalse();
    assertThat(node.spec().taints()).isEmpty();
    assertThat(node.status().capacity()).isEmpty();
    assertThat(node.status().condition("Ready")).isEmpty();
    assertThat(node.status().daemonEndpoints().kubeletEndpoint().port()).isZero();
    assertThat(node.status().nodeInfo().kubeletVersion()).isEmpty();
  }
}
