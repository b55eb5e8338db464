package io.minicluster.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import io.minicluster.json.Json;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterPluginsTest {

  static ObjectNode node(String extra) {
    return Json.parseObject("{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"node1\","
        + "\"labels\":{\"disk\":\"ssd\",\"zone\":\"a\",\"gen\":\"5\"}},"
        + "\"status\":{\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\",\"ephemeral-storage\":\"10Gi\","
        + "\"pods\":\"3\",\"example.com/gpu\":\"1\"}}" + extra + "}");
  }

  static ObjectNode pod(String spec) {
    return Json.parseObject("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\","
        + "\"namespace\":\"default\"},\"spec\":" + spec + "}");
  }

  static ObjectNode container(String name, String requests) {
    return Json.parseObject("{\"name\":\"" + name + "\",\"image\":\"nginx\",\"resources\":{\"requests\":"
        + requests + "}}");
  }

  static ObjectNode podRequesting(String requests) {
    return pod("{\"containers\":[" + container("c", requests) + "]}");
  }

  static ObjectNode boundPod(String requests) {
    ObjectNode pod = podRequesting(requests);
    pod.with("spec").put("nodeName", "node1");
    return pod;
  }

  static List<ObjectNode> pods(ObjectNode... pods) {
    return new ArrayList<>(List.of(pods));
  }

  static Arguments row(String title, FilterPlugin plugin, ObjectNode pod, ObjectNode node, List<ObjectNode> onNode,
      Status.Code code, List<String> reasons) {
    return Arguments.of(title, plugin, pod, node, onNode, code, reasons);
  }

  static Stream<Arguments> cases() {
    String tolerateAll = "\"tolerations\":[{\"operator\":\"Exists\"}]";
    String notReady = ",\"spec\":{\"taints\":[{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoSchedule\"}]}";
    String dedicated = ",\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoExecute\"}]}";
    String prefer = ",\"spec\":{\"taints\":[{\"key\":\"soft\",\"effect\":\"PreferNoSchedule\"}]}";
    String cordoned = ",\"spec\":{\"unschedulable\":true}";
    String containers = "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]";
    NodeResourcesFit fit = new NodeResourcesFit();
    return Stream.of(
        // NodeName
        row("nodeName empty", new NodeName(), pod("{" + containers + "}"), node(""), List.of(), Status.Code.SUCCESS,
            List.of()),
        row("nodeName other", new NodeName(), pod("{\"nodeName\":\"node2\"," + containers + "}"), node(""),
            List.of(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(NodeName.REASON)),
        // NodeUnschedulable
        row("schedulable node", new NodeUnschedulable(), pod("{" + containers + "}"), node(""), List.of(),
            Status.Code.SUCCESS, List.of()),
        row("cordoned node", new NodeUnschedulable(), pod("{" + containers + "}"), node(cordoned), List.of(),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of("node(s) were unschedulable")),
        row("cordoned but tolerated", new NodeUnschedulable(), pod("{" + containers + ",\"tolerations\":[{\"key\":"
            + "\"node.kubernetes.io/unschedulable\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}"),
            node(cordoned), List.of(), Status.Code.SUCCESS, List.of()),
        // TaintToleration
        row("not-ready taint", new TaintToleration(), pod("{" + containers + "}"), node(notReady), List.of(),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of("node(s) had untolerated taint(s)")),
        row("empty key Exists tolerates all", new TaintToleration(), pod("{" + containers + "," + tolerateAll + "}"),
            node(notReady), List.of(), Status.Code.SUCCESS, List.of()),
        row("Equal with matching value", new TaintToleration(), pod("{" + containers + ",\"tolerations\":[{\"key\":"
            + "\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\"}]}"), node(dedicated), List.of(),
            Status.Code.SUCCESS, List.of()),
        row("Equal with other value", new TaintToleration(), pod("{" + containers + ",\"tolerations\":[{\"key\":"
            + "\"dedicated\",\"value\":\"cpu\"}]}"), node(dedicated), List.of(),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(TaintToleration.REASON)),
        row("toleration for another effect", new TaintToleration(), pod("{" + containers + ",\"tolerations\":[{"
            + "\"key\":\"dedicated\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}"), node(dedicated),
            List.of(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(TaintToleration.REASON)),
        row("PreferNoSchedule ignored", new TaintToleration(), pod("{" + containers + "}"), node(prefer), List.of(),
            Status.Code.SUCCESS, List.of()),
        // NodeAffinity
        row("nodeSelector matches", new NodeAffinity(), pod("{" + containers + ",\"nodeSelector\":{\"disk\":"
            + "\"ssd\"}}"), node(""), List.of(), Status.Code.SUCCESS, List.of()),
        row("nodeSelector differs", new NodeAffinity(), pod("{" + containers + ",\"nodeSelector\":{\"disk\":"
            + "\"hdd\"}}"), node(""), List.of(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(NodeAffinity.REASON)),
        row("affinity In", new NodeAffinity(), affinityPod("{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\","
            + "\"b\"]}", null), node(""), List.of(), Status.Code.SUCCESS, List.of()),
        row("affinity NotIn", new NodeAffinity(), affinityPod("{\"key\":\"zone\",\"operator\":\"NotIn\",\"values\":"
            + "[\"a\"]}", null), node(""), List.of(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(NodeAffinity.REASON)),
        row("affinity NotIn on absent label", new NodeAffinity(), affinityPod("{\"key\":\"rack\",\"operator\":"
            + "\"NotIn\",\"values\":[\"r1\"]}", null), node(""), List.of(), Status.Code.SUCCESS, List.of()),
        row("affinity Exists", new NodeAffinity(), affinityPod("{\"key\":\"disk\",\"operator\":\"Exists\"}", null),
            node(""), List.of(), Status.Code.SUCCESS, List.of()),
        row("affinity DoesNotExist", new NodeAffinity(), affinityPod("{\"key\":\"disk\",\"operator\":"
            + "\"DoesNotExist\"}", null), node(""), List.of(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(NodeAffinity.REASON)),
        row("affinity Gt", new NodeAffinity(), affinityPod("{\"key\":\"gen\",\"operator\":\"Gt\",\"values\":[\"4\"]}",
            null), node(""), List.of(), Status.Code.SUCCESS, List.of()),
        row("affinity Lt", new NodeAffinity(), affinityPod("{\"key\":\"gen\",\"operator\":\"Lt\",\"values\":[\"5\"]}",
            null), node(""), List.of(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(NodeAffinity.REASON)),
        row("matchFields metadata.name", new NodeAffinity(), affinityPod(null, "{\"key\":\"metadata.name\","
            + "\"operator\":\"In\",\"values\":[\"node1\"]}"), node(""), List.of(), Status.Code.SUCCESS, List.of()),
        row("matchFields other name", new NodeAffinity(), affinityPod(null, "{\"key\":\"metadata.name\","
            + "\"operator\":\"In\",\"values\":[\"node2\"]}"), node(""), List.of(),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(NodeAffinity.REASON)),
        row("empty term matches nothing", new NodeAffinity(), pod("{" + containers + ",\"affinity\":{"
            + "\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{}]}}}}"),
            node(""), List.of(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(NodeAffinity.REASON)),
        // NodePorts
        row("free host port", new NodePorts(), portPod("", 8080, "TCP"), node(""), pods(portPod("", 8081, "TCP")),
            Status.Code.SUCCESS, List.of()),
        row("same host port", new NodePorts(), portPod("", 8080, "TCP"), node(""), pods(portPod("", 8080, "TCP")),
            Status.Code.UNSCHEDULABLE, List.of(NodePorts.REASON)),
        row("other protocol", new NodePorts(), portPod("", 8080, "UDP"), node(""), pods(portPod("", 8080, "TCP")),
            Status.Code.SUCCESS, List.of()),
        row("different specific IPs", new NodePorts(), portPod("10.0.0.1", 8080, "TCP"), node(""),
            pods(portPod("10.0.0.2", 8080, "TCP")), Status.Code.SUCCESS, List.of()),
        row("wildcard against specific IP", new NodePorts(), portPod("10.0.0.1", 8080, "TCP"), node(""),
            pods(portPod("0.0.0.0", 8080, "TCP")), Status.Code.UNSCHEDULABLE, List.of(NodePorts.REASON)),
        // NodeResourcesFit
        row("fits", fit, podRequesting("{\"cpu\":\"1\",\"memory\":\"1Gi\"}"), node(""),
            pods(boundPod("{\"cpu\":\"500m\"}")), Status.Code.SUCCESS, List.of()),
        row("insufficient cpu", fit, podRequesting("{\"cpu\":\"1600m\"}"), node(""),
            pods(boundPod("{\"cpu\":\"500m\"}")), Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu")),
        row("insufficient cpu and memory", fit, podRequesting("{\"cpu\":\"3\",\"memory\":\"5Gi\"}"), node(""),
            List.of(), Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu", "Insufficient memory")),
        row("insufficient ephemeral storage", fit, podRequesting("{\"ephemeral-storage\":\"11Gi\"}"), node(""),
            List.of(), Status.Code.UNSCHEDULABLE, List.of("Insufficient ephemeral-storage")),
        row("extended resource", fit, podRequesting("{\"example.com/gpu\":\"2\"}"), node(""), List.of(),
            Status.Code.UNSCHEDULABLE, List.of("Insufficient example.com/gpu")),
        row("too many pods", fit, podRequesting("{}"), node(""),
            pods(boundPod("{}"), boundPod("{}"), boundPod("{}")), Status.Code.UNSCHEDULABLE,
            List.of("Too many pods")),
        row("init container max rule fits", fit, pod("{\"initContainers\":[" + container("i", "{\"cpu\":\"2\"}")
            + "],\"containers\":[" + container("c", "{\"cpu\":\"1\"}") + "]}"), node(""), List.of(),
            Status.Code.SUCCESS, List.of()),
        row("init container max rule exceeds", fit, pod("{\"initContainers\":[" + container("i",
            "{\"cpu\":\"2\"}") + "],\"containers\":[" + container("c", "{\"cpu\":\"1\"}") + "]}"), node(""),
            pods(boundPod("{\"cpu\":\"100m\"}")), Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu")),
        row("overhead counts", fit, pod("{\"overhead\":{\"cpu\":\"1500m\"},\"containers\":[" + container("c",
            "{\"cpu\":\"600m\"}") + "]}"), node(""), List.of(), Status.Code.UNSCHEDULABLE,
            List.of("Insufficient cpu")));
  }

  static ObjectNode affinityPod(String expression, String field) {
    String term = "{" + (expression == null ? "" : "\"matchExpressions\":[" + expression + "]")
        + (field == null ? "" : "\"matchFields\":[" + field + "]") + "}";
    return pod("{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}],\"affinity\":{\"nodeAffinity\":{"
        + "\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[" + term + "]}}}}");
  }

  static ObjectNode portPod(String hostIp, int port, String protocol) {
    ObjectNode pod = pod("{\"nodeName\":\"node1\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"ports\":[{"
        + "\"containerPort\":80,\"hostPort\":" + port + ",\"protocol\":\"" + protocol + "\""
        + (hostIp.isEmpty() ? "" : ",\"hostIP\":\"" + hostIp + "\"") + "}]}]}");
    return pod;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filters(String title, FilterPlugin plugin, ObjectNode pod, ObjectNode node, List<ObjectNode> onNode,
      Status.Code code, List<String> reasons) {
    Status status = plugin.filter(Pod.from(pod), NodeInfo.of(Node.from(node), onNode.stream().map(Pod::from).toList()));

    assertThat(status.code()).isEqualTo(code);
    assertThat(status.reasons()).containsExactlyElementsOf(reasons);
  }
}
