package io.minicluster.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the deployment controller reads of its ReplicaSets (deployment/util): their sizes and status counts, summed
 * over a set as GetReplicaCountForReplicaSets and its siblings do, their revision, and their age order.
 */
final class ReplicaSets {
  /** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
  static final Comparator<ObjectNode> BY_CREATION = Comparator
      .comparing((ObjectNode rs) -> Objects.requireNonNullElse(Json.textOrNull(rs, "metadata", "creationTimestamp"), ""))
      .thenComparing(Meta::name);

  private ReplicaSets() {}

  /** spec.replicas, 1 when unset. */
  static int specReplicas(JsonNode replicaSet) {
    return RolloutMath.replicas(replicaSet);
  }

  /** A count of {@code status}, 0 when unset. */
  static int statusCount(JsonNode object, String field) {
    JsonNode value = Json.at(object, "status", field);
    return value == null ? 0 : value.asInt();
  }

  /** The sum of spec.replicas over the ReplicaSets. */
  static int totalSpecReplicas(Collection<ObjectNode> replicaSets) {
    return replicaSets.stream().mapToInt(ReplicaSets::specReplicas).sum();
  }

  /** The sum of one status count over the ReplicaSets. */
  static int totalStatusCount(Collection<ObjectNode> replicaSets, String field) {
    return replicaSets.stream().mapToInt(rs -> statusCount(rs, field)).sum();
  }

  /** A copy of the ReplicaSets, oldest first. */
  static List<ObjectNode> oldestFirst(Collection<ObjectNode> replicaSets) {
    List<ObjectNode> sorted = new ArrayList<>(replicaSets);
    sorted.sort(BY_CREATION);
    return sorted;
  }

  /** The revision annotation as a number, 0 when absent or not a number. */
  static long revision(JsonNode replicaSet) {
    String text = Meta.annotations(replicaSet).get(Revisions.REVISION);
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
