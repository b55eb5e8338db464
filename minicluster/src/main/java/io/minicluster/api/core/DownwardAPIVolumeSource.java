package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.DownwardAPIVolumeSource; defaultMode null when unset. */
public record DownwardAPIVolumeSource(List<DownwardAPIVolumeFile> items, Integer defaultMode) {

  public DownwardAPIVolumeSource {
    items = List.copyOf(items);
  }

  public static DownwardAPIVolumeSource from(JsonNode node) {
    return new DownwardAPIVolumeSource(JsonValues.list(node, "items", DownwardAPIVolumeFile::from),
        JsonValues.optionalInt32(node, "defaultMode"));
  }
}
