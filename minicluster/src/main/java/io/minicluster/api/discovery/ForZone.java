package io.minicluster.api.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** discovery/v1 ForZone (and ForNode, which has the same shape): a topology hint. */
public record ForZone(String name) {

  public static ForZone from(JsonNode node) {
    return new ForZone(JsonValues.string(node, "name"));
  }
}
