package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;
import java.util.Map;

/**
 * v1.ConfigMap as the node agent reads it; {@code binaryData} values are base64 as on the wire (decode with
 * {@link java.util.Base64#getDecoder()}). immutable is null when unset.
 */
public record ConfigMap(ObjectMeta metadata, Map<String, String> data, Map<String, String> binaryData,
    Boolean immutable) {

  public ConfigMap {
    requireNonNull(metadata, "metadata is null");
    data = Map.copyOf(data);
    binaryData = Map.copyOf(binaryData);
  }

  public static ConfigMap from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new ConfigMap(ObjectMeta.of(object), JsonValues.stringMap(object, "data"),
        JsonValues.stringMap(object, "binaryData"), JsonValues.optionalBool(object, "immutable"));
  }
}
