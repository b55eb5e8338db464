package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Interner;
import io.minicluster.api.meta.JsonValues;

/** v1.ContainerState: at most one of waiting, running, terminated is set, the others are null. */
public record ContainerState(ContainerStateWaiting waiting, ContainerStateRunning running,
    ContainerStateTerminated terminated) {
  public static final ContainerState EMPTY = new ContainerState(null, null, null);

  /** The state object; {@link #EMPTY} for null. */
  public static ContainerState from(JsonNode node) {
    if (node == null) {
      return EMPTY;
    }
    return Interner.intern(new ContainerState(JsonValues.optional(node, "waiting", ContainerStateWaiting::from),
        JsonValues.optional(node, "running", ContainerStateRunning::from),
        JsonValues.optional(node, "terminated", ContainerStateTerminated::from)));
  }
}
