package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Interner;
import io.minicluster.api.meta.JsonValues;

/** v1.Toleration; operator "" means Equal, effect "" every effect, tolerationSeconds null forever. */
public record Toleration(String key, String operator, String value, String effect, Long tolerationSeconds) {

  public static Toleration from(JsonNode node) {
    return Interner.intern(new Toleration(JsonValues.string(node, "key"), JsonValues.string(node, "operator"),
        JsonValues.string(node, "value"), JsonValues.string(node, "effect"),
        JsonValues.optionalInt64(node, "tolerationSeconds")));
  }
}
