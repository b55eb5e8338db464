package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.NodeSystemInfo. */
public record NodeSystemInfo(String machineID, String systemUUID, String bootID, String kernelVersion,
    String osImage, String containerRuntimeVersion, String kubeletVersion, String kubeProxyVersion,
    String operatingSystem, String architecture) {

  public static NodeSystemInfo from(JsonNode node) {
    return new NodeSystemInfo(JsonValues.string(node, "machineID"), JsonValues.string(node, "systemUUID"),
        JsonValues.string(node, "bootID"), JsonValues.string(node, "kernelVersion"),
        JsonValues.string(node, "osImage"), JsonValues.string(node, "containerRuntimeVersion"),
        JsonValues.string(node, "kubeletVersion"), JsonValues.string(node, "kubeProxyVersion"),
        JsonValues.string(node, "operatingSystem"), JsonValues.string(node, "architecture"));
  }
}
