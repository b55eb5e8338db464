package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.SecretProjection of a projected volume (the secret's name is {@code name} here). */
public record SecretProjection(String name, List<KeyToPath> items, Boolean optional) {

  public SecretProjection {
    items = List.copyOf(items);
  }

  public static SecretProjection from(JsonNode node) {
    return new SecretProjection(JsonValues.string(node, "name"), JsonValues.list(node, "items", KeyToPath::from),
        JsonValues.optionalBool(node, "optional"));
  }

  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
