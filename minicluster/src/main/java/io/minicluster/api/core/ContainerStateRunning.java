package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;

/** v1.ContainerStateRunning; startedAt null when absent. */
public record ContainerStateRunning(Instant startedAt) {

  public static ContainerStateRunning from(JsonNode node) {
    return new ContainerStateRunning(JsonValues.time(node, "startedAt"));
  }
}
