package io.minicluster.controller.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.StatefulSet;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.controller.history.ControllerHistory;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.controller.workload.Workloads;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity of a StatefulSet's pods (pkg/controller/statefulset/stateful_set_utils.go): pod {@code <set>-<ordinal>}
 * with the labels {@code statefulset.kubernetes.io/pod-name}, {@code apps.kubernetes.io/pod-index} and
 * {@code controller-revision-hash} (the revision's name), hostname its name and subdomain the set's serviceName; a
 * volume per volumeClaimTemplate naming its claim {@code <template>-<set>-<ordinal>}.
 */
final class StatefulPods {
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  private StatefulPods() {}

  static String podName(String set, int ordinal) {
    return set + "-" + ordinal;
  }

  static String claimName(String template, String set, int ordinal) {
    return template + "-" + podName(set, ordinal);
  }

  /** The ordinal of a pod of the set ({@code <set>-<ordinal>}), or -1 when the name is not one. */
  static int ordinal(String set, String podName) {
    String prefix = set + "-";
    if (!podName.startsWith(prefix) || podName.length() == prefix.length()) {
      return -1;
    }
    String digits = podName.substring(prefix.length());
    if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
      return -1;
    }
    return Integer.parseInt(digits);
  }

  /** getPodRevision: the revision name a pod was made from. */
  static String revision(Pod pod) {
    return pod.metadata().labels().getOrDefault(ControllerHistory.HASH_LABEL, "");
  }

  /** The names of the set's claim templates. */
  static List<String> claimTemplates(StatefulSet set) {
    List<String> names = new ArrayList<>();
    set.spec().volumeClaimTemplates().forEach(claim -> names.add(claim.metadata().name()));
    return names;
  }

  /** newVersionedStatefulSetPod: the pod of an ordinal from a template of a revision. */
  static ObjectNode pod(StatefulSet set, JsonNode template, String revision, int ordinal) {
    ObjectMeta meta = set.metadata();
    String name = podName(meta.name(), ordinal);
    ObjectNode pod = Json.object();
    ObjectNode metadata = pod.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", meta.namespace());
    Workloads.copyTemplateMetadata(template, metadata);
    ObjectNode labels = Json.with(metadata, "labels");
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(ControllerHistory.HASH_LABEL, revision);
    metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(ResourceTypes.STATEFUL_SETS, meta));
    JsonNode templateSpec = Json.at(template, "spec");
    ObjectNode spec = templateSpec instanceof ObjectNode object ? object.deepCopy() : Json.object();
    pod.set("spec", spec);
    spec.put("hostname", name);
    if (!set.spec().serviceName().isEmpty()) {
      spec.put("subdomain", set.spec().serviceName());
    }
    List<String> claims = claimTemplates(set);
    if (!claims.isEmpty()) {
      ArrayNode volumes = Json.array();
      for (String claim : claims) {
        ObjectNode volume = volumes.addObject();
        volume.put("name", claim);
        volume.putObject("persistentVolumeClaim").put("claimName", claimName(claim, meta.name(), ordinal));
      }
      for (JsonNode volume : Json.elements(spec, "volumes")) {
        if (!claims.contains(Json.textOrNull(volume, "name"))) {
          volumes.add(volume);
        }
      }
      spec.set("volumes", volumes);
    }
    return pod;
  }

  /**
   * The claim of a template for an ordinal: the template's labels and the set's matchLabels, its annotations and
   * spec; owned (not controlled) by the set when whenDeleted is Delete.
   */
  static ObjectNode claim(StatefulSet set, JsonNode template, int ordinal) {
    ObjectMeta meta = set.metadata();
    ObjectNode claim = Json.object();
    ObjectNode metadata = claim.putObject("metadata");
    metadata.put("name", claimName(Json.textOrNull(template, "metadata", "name"), meta.name(), ordinal));
    metadata.put("namespace", meta.namespace());
    ObjectNode labels = metadata.putObject("labels");
    JsonNode templateLabels = Json.at(template, "metadata", "labels");
    if (templateLabels instanceof ObjectNode object) {
      labels.setAll(object);
    }
    if (set.spec().selector() != null) {
      set.spec().selector().matchLabels().forEach(labels::put);
    }
    if (labels.isEmpty()) {
      metadata.remove("labels");
    }
    JsonNode annotations = Json.at(template, "metadata", "annotations");
    if (annotations instanceof ObjectNode object) {
      metadata.set("annotations", object.deepCopy());
    }
    if ("Delete".equals(set.spec().whenDeleted())) {
      metadata.putArray("ownerReferences").add(ownerReference(ResourceTypes.STATEFUL_SETS.apiVersion(),
          ResourceTypes.STATEFUL_SETS.kind(), meta));
    }
    JsonNode spec = Json.at(template, "spec");
    claim.set("spec", spec == null ? Json.object() : spec.deepCopy());
    return claim;
  }

  /** A plain (not controller) owner reference, as the retention policy sets on claims. */
  static ObjectNode ownerReference(String apiVersion, String kind, ObjectMeta owner) {
    ObjectNode reference = Json.object();
    reference.put("apiVersion", apiVersion);
    reference.put("kind", kind);
    reference.put("name", owner.name());
    reference.put("uid", owner.uid());
    return reference;
  }
}
