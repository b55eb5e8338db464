package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.Sysctl. */
public record Sysctl(String name, String value) {

  public static Sysctl from(JsonNode node) {
    return new Sysctl(JsonValues.string(node, "name"), JsonValues.string(node, "value"));
  }
}
