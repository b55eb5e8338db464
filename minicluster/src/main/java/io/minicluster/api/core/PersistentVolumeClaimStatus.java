package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;
import java.util.List;
import java.util.Map;

/** v1.PersistentVolumeClaimStatus: phase (Pending, Bound, Lost), the bound volume's access modes and capacity. */
public record PersistentVolumeClaimStatus(String phase, List<String> accessModes, Map<String, Quantity> capacity,
    List<Condition> conditions) {
  public static final String PENDING = "Pending";
  public static final String BOUND = "Bound";
  public static final String LOST = "Lost";

  public PersistentVolumeClaimStatus {
    accessModes = List.copyOf(accessModes);
    capacity = Map.copyOf(capacity);
    conditions = List.copyOf(conditions);
  }

  public static PersistentVolumeClaimStatus from(JsonNode node) {
    return new PersistentVolumeClaimStatus(JsonValues.string(node, "phase"), JsonValues.strings(node, "accessModes"),
        JsonValues.quantities(node, "capacity"), Condition.list(node));
  }
}
