package io.minicluster.controller.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.NodeSelectorRequirement;
import io.minicluster.api.core.NodeSelectorTerm;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodSpec;
import io.minicluster.api.core.Taint;
import io.minicluster.api.core.Toleration;
import io.minicluster.json.Json;
import io.minicluster.api.core.helper.NodeSelectors;
import io.minicluster.api.core.helper.Tolerations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What makes a pod a daemon pod (pkg/controller/daemon/util and the controller's predicates): the tolerations every
 * daemon pod gets (AddOrUpdateDaemonPodTolerations), the node affinity that pins it to its node
 * (ReplaceDaemonSetPodNodeNameNodeAffinity, the scheduler then binds it there), and whether a node should run it
 * (nodeShouldRunDaemonPod: node name, node selector and required node affinity, taints).
 */
final class DaemonPods {
  static final String NAME_FIELD = "metadata.name";
  private static final List<Toleration> DAEMON_TOLERATIONS = List.of(
      exists("node.kubernetes.io/not-ready", Tolerations.NO_EXECUTE),
      exists("node.kubernetes.io/unreachable", Tolerations.NO_EXECUTE),
      exists("node.kubernetes.io/disk-pressure", Tolerations.NO_SCHEDULE),
      exists("node.kubernetes.io/memory-pressure", Tolerations.NO_SCHEDULE),
      exists("node.kubernetes.io/pid-pressure", Tolerations.NO_SCHEDULE),
      exists("node.kubernetes.io/unschedulable", Tolerations.NO_SCHEDULE));
  private static final Toleration NETWORK_UNAVAILABLE =
      exists("node.kubernetes.io/network-unavailable", Tolerations.NO_SCHEDULE);

  /**
   * Whether the node should run the daemon pod, and whether a pod already there may keep running.
   */
  record Placement(boolean shouldRun, boolean shouldContinueRunning) {}

  private DaemonPods() {}

  private static Toleration exists(String key, String effect) {
    return new Toleration(key, "Exists", "", effect, null);
  }

  /** The tolerations a daemon pod gets on top of its template's, those it has already kept. */
  static List<Toleration> tolerations(PodSpec template) {
    List<Toleration> result = new ArrayList<>(template.tolerations());
    List<Toleration> added = new ArrayList<>(DAEMON_TOLERATIONS);
    if (template.hostNetwork()) {
      added.add(NETWORK_UNAVAILABLE);
    }
    for (Toleration toleration : added) {
      if (!result.contains(toleration)) {
        result.add(toleration);
      }
    }
    return result;
  }

  /** nodeShouldRunDaemonPod for a pod of the template on the node. */
  static Placement placement(PodSpec template, Node node) {
    String name = node.metadata().name();
    if (!template.nodeName().isEmpty() && !template.nodeName().equals(name)) {
      return new Placement(false, false);
    }
    boolean affinity = template.affinity() == null || template.affinity().nodeAffinity() == null
        || template.affinity().nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution() == null
        || NodeSelectors.matchesTerms(
            template.affinity().nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution(), node);
    if (!affinity || !NodeSelectors.matchesNodeSelector(template.nodeSelector(), node)) {
      return new Placement(false, false);
    }
    List<Toleration> tolerations = tolerations(template);
    List<Taint> taints = node.spec().taints();
    Optional<Taint> noExecute = Tolerations.firstUntolerated(taints, tolerations,
        taint -> Tolerations.NO_EXECUTE.equals(taint.effect()));
    if (noExecute.isPresent()) {
      return new Placement(false, false);
    }
    Optional<Taint> noSchedule = Tolerations.firstUntolerated(taints, tolerations,
        taint -> Tolerations.NO_SCHEDULE.equals(taint.effect()));
    return new Placement(noSchedule.isEmpty(), true);
  }

  /** The node a daemon pod is for: its node name once bound, else the node its affinity pins it to (or ""). */
  static String targetNode(Pod pod) {
    if (!pod.spec().nodeName().isEmpty()) {
      return pod.spec().nodeName();
    }
    if (pod.spec().affinity() == null || pod.spec().affinity().nodeAffinity() == null
        || pod.spec().affinity().nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution() == null) {
      return "";
    }
    for (NodeSelectorTerm term : pod.spec().affinity().nodeAffinity()
        .requiredDuringSchedulingIgnoredDuringExecution().nodeSelectorTerms()) {
      for (NodeSelectorRequirement field : term.matchFields()) {
        if (NAME_FIELD.equals(field.key()) && "In".equals(field.operator()) && field.values().size() == 1) {
          return field.values().get(0);
        }
      }
    }
    return "";
  }

  /**
   * The pod spec for a node: the template's, with the daemon tolerations and the required node affinity's terms
   * each matching the node's name only (the terms' label expressions kept).
   */
  static ObjectNode spec(JsonNode templateSpec, PodSpec template, String nodeName) {
    ObjectNode spec = templateSpec instanceof ObjectNode object ? object.deepCopy() : Json.object();
    ArrayNode tolerations = spec.putArray("tolerations");
    for (Toleration toleration : tolerations(template)) {
      ObjectNode node = tolerations.addObject();
      putIfSet(node, "key", toleration.key());
      putIfSet(node, "operator", toleration.operator());
      putIfSet(node, "value", toleration.value());
      putIfSet(node, "effect", toleration.effect());
      if (toleration.tolerationSeconds() != null) {
        node.put("tolerationSeconds", toleration.tolerationSeconds());
      }
    }
    ObjectNode required = Json.with(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution");
    JsonNode terms = required.get("nodeSelectorTerms");
    ArrayNode replaced = Json.array();
    if (terms instanceof ArrayNode array && !array.isEmpty()) {
      for (JsonNode term : array) {
        ObjectNode copy = term instanceof ObjectNode object ? object.deepCopy() : Json.object();
        copy.set("matchFields", nameField(nodeName));
        replaced.add(copy);
      }
    } else {
      replaced.addObject().set("matchFields", nameField(nodeName));
    }
    required.set("nodeSelectorTerms", replaced);
    return spec;
  }

  private static ArrayNode nameField(String nodeName) {
    ArrayNode fields = Json.array();
    ObjectNode field = fields.addObject();
    field.put("key", NAME_FIELD);
    field.put("operator", "In");
    field.putArray("values").add(nodeName);
    return fields;
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }
}
