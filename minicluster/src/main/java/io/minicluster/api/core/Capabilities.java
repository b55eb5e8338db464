package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.Capabilities: Linux capabilities to add and drop ("NET_ADMIN", "ALL"...). */
public record Capabilities(List<String> add, List<String> drop) {

  public Capabilities {
    add = List.copyOf(add);
    drop = List.copyOf(drop);
  }

  public static Capabilities from(JsonNode node) {
    return new Capabilities(JsonValues.strings(node, "add"), JsonValues.strings(node, "drop"));
  }
}
