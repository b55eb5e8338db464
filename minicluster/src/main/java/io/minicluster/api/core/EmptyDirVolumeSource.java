package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;

/** v1.EmptyDirVolumeSource: medium "" (disk) or "Memory"; sizeLimit null when unset. */
public record EmptyDirVolumeSource(String medium, Quantity sizeLimit) {

  public static EmptyDirVolumeSource from(JsonNode node) {
    return new EmptyDirVolumeSource(JsonValues.string(node, "medium"), JsonValues.optionalQuantity(node, "sizeLimit"));
  }
}
