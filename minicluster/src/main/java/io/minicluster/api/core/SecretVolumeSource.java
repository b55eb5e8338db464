package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.SecretVolumeSource (the secret's name is {@code secretName}); defaultMode null when unset. */
public record SecretVolumeSource(String secretName, List<KeyToPath> items, Integer defaultMode, Boolean optional) {

  public SecretVolumeSource {
    items = List.copyOf(items);
  }

  public static SecretVolumeSource from(JsonNode node) {
    return new SecretVolumeSource(JsonValues.string(node, "secretName"),
        JsonValues.list(node, "items", KeyToPath::from), JsonValues.optionalInt32(node, "defaultMode"),
        JsonValues.optionalBool(node, "optional"));
  }

  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
