package io.minicluster.controller.deployment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.apps.DeploymentStatus;
import io.minicluster.api.meta.Condition;
import io.minicluster.json.Json;
import java.time.Instant;

/**
 * A deployment's status as the tree the controller works out and writes: the record's fields, zero counts left out
 * as Go's omitempty does, the conditions with the times a DeploymentCondition has.
 */
final class StatusTree {
  private StatusTree() {}

  static ObjectNode of(DeploymentStatus status) {
    ObjectNode tree = Json.object();
    putIfNotZero(tree, "observedGeneration", status.observedGeneration());
    putIfNotZero(tree, "replicas", status.replicas());
    putIfNotZero(tree, "updatedReplicas", status.updatedReplicas());
    putIfNotZero(tree, "readyReplicas", status.readyReplicas());
    putIfNotZero(tree, "availableReplicas", status.availableReplicas());
    putIfNotZero(tree, "unavailableReplicas", status.unavailableReplicas());
    if (status.terminatingReplicas() != null) {
      tree.put("terminatingReplicas", status.terminatingReplicas());
    }
    if (!status.conditions().isEmpty()) {
      ArrayNode conditions = tree.putArray("conditions");
      status.conditions().forEach(condition -> conditions.add(of(condition)));
    }
    if (status.collisionCount() != null) {
      tree.put("collisionCount", status.collisionCount());
    }
    return tree;
  }

  private static ObjectNode of(Condition condition) {
    ObjectNode tree = Json.object();
    tree.put("type", condition.type());
    tree.put("status", condition.status());
    putTime(tree, "lastUpdateTime", condition.lastUpdateTime());
    putTime(tree, "lastTransitionTime", condition.lastTransitionTime());
    if (!condition.reason().isEmpty()) {
      tree.put("reason", condition.reason());
    }
    if (!condition.message().isEmpty()) {
      tree.put("message", condition.message());
    }
    return tree;
  }

  private static void putTime(ObjectNode tree, String field, Instant time) {
    if (time != null) {
      tree.put(field, Meta.timestamp(time));
    }
  }

  private static void putIfNotZero(ObjectNode tree, String field, long value) {
    if (value != 0) {
      tree.put(field, value);
    }
  }
}
