package io.minicluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import io.minicluster.json.Json;
import io.minicluster.scheduler.framework.HostPort;
import io.minicluster.scheduler.framework.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler's per-node totals, kept from pod changes, equal what summing the pods on the node gives. */
class NodeUsageTest {
  private static final Node NODE = SchedulingAlgorithmTest.node("n1", "4", "");

  private static Pod pod(String name, String node, String cpu, int hostPort, String phase) {
    ObjectNode pod = Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},"
        + "\"spec\":{\"nodeName\":\"" + node + "\",\"containers\":[{\"name\":\"c\",\"image\":\"x\","
        + "\"ports\":[{\"containerPort\":80,\"hostPort\":" + hostPort + "}],"
        + "\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\",\"example.com/gpu\":\"1\"}}}]},"
        + "\"status\":{\"phase\":\"" + phase + "\"}}");
    return Pod.from(pod);
  }

  private static void assertSame(NodeInfo actual, NodeInfo expected) {
    assertThat(actual.podCount()).isEqualTo(expected.podCount());
    assertThat(actual.requested()).isEqualTo(expected.requested());
    assertThat(actual.nonZeroRequested()).isEqualTo(expected.nonZeroRequested());
    assertThat(actual.usedPorts()).containsExactlyInAnyOrderElementsOf(expected.usedPorts());
  }

  @Test
  void totalsFollowPodsAsTheyAreBoundChangeTerminateAndGo() {
    NodeUsage usage = new NodeUsage();
    Pod a = pod("a", "n1", "500m", 8080, "Running");
    Pod b = pod("b", "n1", "1", 0, "Running");
    Pod pending = pod("p", "", "2", 9090, "Pending");
    Pod elsewhere = pod("e", "n2", "3", 8080, "Running");
    usage.changed(null, a);
    usage.changed(null, b);
    usage.changed(null, pending);
    usage.changed(null, elsewhere);

    assertSame(usage.nodeInfo(NODE, List.of()), NodeInfo.of(NODE, List.of(a, b)));

    Pod bound = pod("p", "n1", "2", 9090, "Pending");
    usage.changed(pending, bound);
    Pod finished = pod("b", "n1", "1", 0, "Succeeded");
    usage.changed(b, finished);

    assertSame(usage.nodeInfo(NODE, List.of()), NodeInfo.of(NODE, List.of(a, bound)));

    usage.changed(a, null);
    usage.changed(bound, null);
    usage.changed(finished, null);

    NodeInfo empty = usage.nodeInfo(NODE, List.of());
    assertSame(empty, NodeInfo.of(NODE, List.of()));
    assertThat(empty.requested().scalar()).isEmpty();
  }

  @Test
  void assumedPodsCountBesideThoseTheInformerShowed() {
    NodeUsage usage = new NodeUsage();
    Pod a = pod("a", "n1", "500m", 8080, "Running");
    Pod assumed = pod("b", "n1", "1", 8080, "Pending");
    usage.changed(null, a);

    NodeInfo info = usage.nodeInfo(NODE, List.of(assumed));

    assertSame(info, NodeInfo.of(NODE, List.of(a, assumed)));
    assertThat(info.usedPorts()).containsExactly(new HostPort("", "TCP", 8080), new HostPort("", "TCP", 8080));
  }

  @Test
  void countsSaysWhichPodsTheTotalsHold() {
    NodeUsage usage = new NodeUsage();
    Pod pending = pod("a", "", "500m", 0, "Pending");
    Pod bound = pod("a", "n1", "500m", 0, "Running");
    Pod done = pod("a", "n1", "500m", 0, "Succeeded");
    usage.changed(null, pending);
    assertThat(usage.counts(bound.key())).isFalse();

    usage.changed(pending, bound);
    assertThat(usage.counts(bound.key())).isTrue();

    usage.changed(bound, done);
    assertThat(usage.counts(bound.key())).isFalse();
    usage.changed(done, bound);
    usage.changed(bound, null);
    assertThat(usage.counts(bound.key())).isFalse();
  }
}
