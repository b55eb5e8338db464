package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ContainerPort. */
public record ContainerPort(String name, int hostPort, int containerPort, String protocol, String hostIP) {

  public static ContainerPort from(JsonNode node) {
    return new ContainerPort(JsonValues.string(node, "name"), JsonValues.int32(node, "hostPort"),
        JsonValues.int32(node, "containerPort"), JsonValues.string(node, "protocol"),
        JsonValues.string(node, "hostIP"));
  }
}
