package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.PodDNSConfigOption: a resolver option; value null when unset ("ndots:5" versus "edns0"). */
public record PodDNSConfigOption(String name, String value) {

  public static PodDNSConfigOption from(JsonNode node) {
    return new PodDNSConfigOption(JsonValues.string(node, "name"), JsonValues.optionalString(node, "value"));
  }
}
