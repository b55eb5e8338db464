package io.minicluster.api.apps;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.json.Json;

/**
 * apps/v1 ControllerRevision as consumers read it: its revision number and its data, kept as the compact JSON text
 * of the stored patch (a string is immutable; parse it with {@code Json.parseObject} where needed, and compare
 * revisions by it).
 */
public record ControllerRevision(ObjectMeta metadata, long revision, String data) {

  public ControllerRevision {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(data, "data is null");
  }

  public static ControllerRevision from(ObjectNode object) {
    requireNonNull(object, "object is null");
    var data = JsonValues.child(object, "data");
    return new ControllerRevision(ObjectMeta.of(object), JsonValues.int64(object, "revision"),
        data == null ? "" : Json.string(data));
  }
}
