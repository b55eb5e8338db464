package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.DownwardAPIProjection of a projected volume. */
public record DownwardAPIProjection(List<DownwardAPIVolumeFile> items) {

  public DownwardAPIProjection {
    items = List.copyOf(items);
  }

  public static DownwardAPIProjection from(JsonNode node) {
    return new DownwardAPIProjection(JsonValues.list(node, "items", DownwardAPIVolumeFile::from));
  }
}
