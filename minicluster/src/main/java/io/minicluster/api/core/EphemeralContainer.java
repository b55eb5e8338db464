package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/**
 * v1.EphemeralContainer: the fields it shares with a container (EphemeralContainerCommon, inline in JSON) as
 * {@code container}, and the container whose namespaces it targets.
 */
public record EphemeralContainer(Container container, String targetContainerName) {

  public static EphemeralContainer from(JsonNode node) {
    return new EphemeralContainer(Container.from(node), JsonValues.string(node, "targetContainerName"));
  }

  public String name() {
    return container.name();
  }
}
