package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.NodeAffinity; the required selector is null when unset. */
public record NodeAffinity(NodeSelector requiredDuringSchedulingIgnoredDuringExecution,
    List<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution) {

  public NodeAffinity {
    preferredDuringSchedulingIgnoredDuringExecution = List.copyOf(preferredDuringSchedulingIgnoredDuringExecution);
  }

  public static NodeAffinity from(JsonNode node) {
    return new NodeAffinity(
        JsonValues.optional(node, "requiredDuringSchedulingIgnoredDuringExecution", NodeSelector::from),
        JsonValues.list(node, "preferredDuringSchedulingIgnoredDuringExecution", PreferredSchedulingTerm::from));
  }
}
