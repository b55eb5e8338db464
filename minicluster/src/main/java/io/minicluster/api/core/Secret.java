package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;
import java.util.Map;

/**
 * v1.Secret as the node agent reads it; {@code data} values are base64 as on the wire (decode with
 * {@link java.util.Base64#getDecoder()}), {@code stringData} plain text. immutable is null when unset.
 */
public record Secret(ObjectMeta metadata, Map<String, String> data, Map<String, String> stringData, String type,
    Boolean immutable) {

  public Secret {
    requireNonNull(metadata, "metadata is null");
    data = Map.copyOf(data);
    stringData = Map.copyOf(stringData);
  }

  public static Secret from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Secret(ObjectMeta.of(object), JsonValues.stringMap(object, "data"),
        JsonValues.stringMap(object, "stringData"), JsonValues.string(object, "type"),
        JsonValues.optionalBool(object, "immutable"));
  }

  /** Secret data must not end up in logs: the values are left out. */
  @Override
  public String toString() {
    return "Secret[metadata=" + metadata + ", keys=" + data.keySet() + ", type=" + type + "]";
  }
}
