package io.minicluster.registry.pod;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;

/**
 * The effect of a Binding on its pod (pkg/registry/core/pod/storage: assignPod): refuses pods being deleted, a
 * changed uid and pods already assigned; sets {@code spec.nodeName}, merges the binding's annotations and marks the
 * pod PodScheduled=True where its PodScheduled condition stands (UpdatePodCondition: the transition time is kept if it
 * was True already), and clears {@code status.nominatedNodeName}, a preemption's hint that is stale once the pod is
 * bound (the ClearingNominatedNodeNameAfterBinding feature, on by default since 1.35). Used by the binding subresource and by the scheduler's binder alike.
 */
public final class PodBinding {
  private PodBinding() {}

  /**
   * Applies a binding to (a private copy of) the current pod.
   *
   * @param expectedUid the uid the binding names, or null
   * @param annotations annotations to merge, or null
   * @param now RFC 3339 time for the condition when its status changes
   */
  public static ObjectNode bind(ObjectNode pod, String nodeName, String expectedUid, JsonNode annotations,
      String now) {
    requireNonNull(pod, "pod is null");
    requireNonNull(nodeName, "nodeName is null");
    String name = Meta.name(pod);
    if (Meta.deleting(pod)) {
      throw ApiException.conflict(ResourceTypes.PODS, name, "pod " + name
          + " is being deleted, cannot be assigned to a host");
    }
    if (expectedUid != null && !expectedUid.isEmpty() && !expectedUid.equals(Meta.uid(pod))) {
      throw ApiException.conflict(ResourceTypes.PODS, name, "Precondition failed: UID in precondition: "
          + expectedUid + ", UID in object meta: " + Meta.uid(pod));
    }
    String assigned = Json.textOrNull(pod, "spec", "nodeName");
    if (assigned != null && !assigned.isEmpty()) {
      throw ApiException.conflict(ResourceTypes.PODS, name, "pod " + name + " is already assigned to node \""
          + assigned + "\"");
    }
    Json.with(pod, "spec").put("nodeName", nodeName);
    if (annotations != null && annotations.isObject()) {
      Json.with(pod, "metadata", "annotations").setAll((ObjectNode) annotations);
    }
    ObjectNode condition = Json.object();
    condition.put("type", "PodScheduled");
    condition.put("status", "True");
    condition.putNull("lastProbeTime");
    condition.put("lastTransitionTime", now);
    ObjectNode status = Json.with(pod, "status");
    Conditions.update(status, condition);
    status.remove("nominatedNodeName");
    return pod;
  }
}
