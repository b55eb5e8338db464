package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;

/** v1.ContainerStateTerminated. */
public record ContainerStateTerminated(int exitCode, int signal, String reason, String message, Instant startedAt,
    Instant finishedAt, String containerID) {

  public static ContainerStateTerminated from(JsonNode node) {
    return new ContainerStateTerminated(JsonValues.int32(node, "exitCode"), JsonValues.int32(node, "signal"),
        JsonValues.string(node, "reason"), JsonValues.string(node, "message"), JsonValues.time(node, "startedAt"),
        JsonValues.time(node, "finishedAt"), JsonValues.string(node, "containerID"));
  }
}
