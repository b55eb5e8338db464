package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.ConfigMapProjection of a projected volume. */
public record ConfigMapProjection(String name, List<KeyToPath> items, Boolean optional) {

  public ConfigMapProjection {
    items = List.copyOf(items);
  }

  public static ConfigMapProjection from(JsonNode node) {
    return new ConfigMapProjection(JsonValues.string(node, "name"), JsonValues.list(node, "items", KeyToPath::from),
        JsonValues.optionalBool(node, "optional"));
  }

  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
