package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Interner;
import io.minicluster.api.meta.JsonValues;

/** v1.PodIP (and v1.HostIP, which has the same shape). */
public record PodIP(String ip) {

  public static PodIP from(JsonNode node) {
    return Interner.intern(new PodIP(JsonValues.string(node, "ip")));
  }
}
