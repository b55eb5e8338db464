package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.JsonPatch;
import io.minicluster.json.Json;
import java.util.EnumSet;

/**
 * One add/remove/replace/move/copy operation applied by zjsonpatch with evanphx v4's semantics. In this file
 * {@code JsonPatch} is zjsonpatch's class (the import shadows this package's own {@code JsonPatch}).
 */
final class ZjsonpatchOperation {
  private static final EnumSet<CompatibilityFlags> FLAGS = EnumSet.of(
      CompatibilityFlags.MISSING_VALUES_AS_NULLS,
      CompatibilityFlags.ALLOW_MISSING_TARGET_OBJECT_ON_REPLACE,
      CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  private ZjsonpatchOperation() {}

  /** Applies the operation to the document, in place unless it replaces the root; returns the patched document. */
  static JsonNode apply(JsonNode document, JsonNode operation) {
    ArrayNode single = Json.array().add(operation);
    JsonNode path = operation.get("path");
    if (path != null && path.isTextual() && path.textValue().isEmpty()) {
      // zjsonpatch's in-place mode cannot replace the root; the copying mode can.
      return JsonPatch.apply(single, document, FLAGS);
    }
    JsonPatch.applyInPlace(single, document, FLAGS);
    return document;
  }
}
