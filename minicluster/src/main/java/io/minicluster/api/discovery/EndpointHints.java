package io.minicluster.api.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** discovery/v1 EndpointHints: the zones and nodes that should consume an endpoint. */
public record EndpointHints(List<ForZone> forZones, List<ForZone> forNodes) {

  public EndpointHints {
    forZones = List.copyOf(forZones);
    forNodes = List.copyOf(forNodes);
  }

  public static EndpointHints from(JsonNode node) {
    return new EndpointHints(JsonValues.list(node, "forZones", ForZone::from),
        JsonValues.list(node, "forNodes", ForZone::from));
  }
}
