package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ContainerStatus; started is null when unset. */
public record ContainerStatus(String name, ContainerState state, ContainerState lastState, boolean ready,
    int restartCount, String image, String imageID, String containerID, Boolean started) {

  public static ContainerStatus from(JsonNode node) {
    return new ContainerStatus(JsonValues.string(node, "name"), JsonValues.struct(node, "state", ContainerState::from),
        JsonValues.struct(node, "lastState", ContainerState::from), JsonValues.bool(node, "ready"),
        JsonValues.int32(node, "restartCount"), JsonValues.string(node, "image"),
        JsonValues.string(node, "imageID"), JsonValues.string(node, "containerID"),
        JsonValues.optionalBool(node, "started"));
  }
}
