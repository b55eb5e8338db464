package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Interner;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.ProjectedVolumeSource; defaultMode null when unset. */
public record ProjectedVolumeSource(List<VolumeProjection> sources, Integer defaultMode) {

  public ProjectedVolumeSource {
    sources = List.copyOf(sources);
  }

  public static ProjectedVolumeSource from(JsonNode node) {
    return Interner.intern(new ProjectedVolumeSource(JsonValues.list(node, "sources", VolumeProjection::from),
        JsonValues.optionalInt32(node, "defaultMode")));
  }
}
