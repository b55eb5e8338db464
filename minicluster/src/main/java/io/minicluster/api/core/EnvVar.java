package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.EnvVar: a value (with $(VAR) references) or, when {@code valueFrom} is not null, a source. */
public record EnvVar(String name, String value, EnvVarSource valueFrom) {

  public static EnvVar from(JsonNode node) {
    return new EnvVar(JsonValues.string(node, "name"), JsonValues.string(node, "value"),
        JsonValues.optional(node, "valueFrom", EnvVarSource::from));
  }
}
