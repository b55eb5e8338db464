package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.Map;

/** v1.ReplicationControllerSpec; replicas and template are null when unset. */
public record ReplicationControllerSpec(Integer replicas, int minReadySeconds, Map<String, String> selector,
    PodTemplateSpec template) {

  public ReplicationControllerSpec {
    selector = Map.copyOf(selector);
  }

  public static ReplicationControllerSpec from(JsonNode node) {
    return new ReplicationControllerSpec(JsonValues.optionalInt32(node, "replicas"),
        JsonValues.int32(node, "minReadySeconds"), JsonValues.stringMap(node, "selector"),
        JsonValues.optional(node, "template", PodTemplateSpec::from));
  }
}
