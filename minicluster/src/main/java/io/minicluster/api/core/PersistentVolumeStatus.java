package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;

/** v1.PersistentVolumeStatus: phase (Pending, Available, Bound, Released, Failed); the time is null when unset. */
public record PersistentVolumeStatus(String phase, String message, String reason, Instant lastPhaseTransitionTime) {
  public static final String PENDING = "Pending";
  public static final String AVAILABLE = "Available";
  public static final String BOUND = "Bound";
  public static final String RELEASED = "Released";
  public static final String FAILED = "Failed";

  public static PersistentVolumeStatus from(JsonNode node) {
    return new PersistentVolumeStatus(JsonValues.string(node, "phase"), JsonValues.string(node, "message"),
        JsonValues.string(node, "reason"), JsonValues.time(node, "lastPhaseTransitionTime"));
  }
}
