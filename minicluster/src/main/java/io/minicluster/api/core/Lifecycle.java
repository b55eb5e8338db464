package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.Lifecycle: the postStart and preStop hooks, null when unset; stopSignal "" when unset. */
public record Lifecycle(LifecycleHandler postStart, LifecycleHandler preStop, String stopSignal) {

  public static Lifecycle from(JsonNode node) {
    return new Lifecycle(JsonValues.optional(node, "postStart", LifecycleHandler::from),
        JsonValues.optional(node, "preStop", LifecycleHandler::from), JsonValues.string(node, "stopSignal"));
  }
}
