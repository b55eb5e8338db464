package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * RFC 7386 JSON Merge Patch as evanphx/json-patch's MergePatch applies it for the apiserver: {@code null} removes a
 * member, objects merge recursively, anything else replaces. Values added where the target had nothing (or a
 * non-object) have their null members pruned, including objects inside arrays; an array patch value replacing an
 * object keeps its nulls. A body that is not JSON, is {@code null} or is a scalar is "Invalid JSON Patch" (400); an
 * array body becomes the whole result (which then fails to decode, 422).
 */
final class MergePatch {
  private static final int MAX_DEPTH = 2 * Json.MAX_NESTING_DEPTH;

  private MergePatch() {}

  /** Applies the patch to a copy of the document. */
  static JsonNode apply(ObjectNode document, byte[] body) {
    JsonNode patch;
    try {
      patch = Json.parse(body);
    } catch (IOException e) {
      throw PatchErrors.badRequest("Invalid JSON Patch");
    }
    if (patch instanceof ObjectNode patchObject) {
      ObjectNode result = document.deepCopy();
      mergeObjects(result, patchObject, 0);
      return result;
    }
    if (patch instanceof ArrayNode) {
      pruneNulls(patch);
      return patch;
    }
    throw PatchErrors.badRequest("Invalid JSON Patch");
  }

  private static void mergeObjects(ObjectNode target, ObjectNode patch, int depth) {
    if (depth > MAX_DEPTH) {
      throw PatchErrors.badRequest("the patch is nested more than " + MAX_DEPTH + " levels deep");
    }
    List<String> names = new ArrayList<>(patch.size());
    patch.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode value = patch.get(name);
      if (value.isNull()) {
        target.remove(name);
        continue;
      }
      JsonNode current = target.get(name);
      if (current == null || current.isNull() || !current.isObject()) {
        pruneNulls(value);
        target.set(name, value);
      } else if (value instanceof ObjectNode valueObject) {
        mergeObjects((ObjectNode) current, valueObject, depth + 1);
      } else {
        target.set(name, value);
      }
    }
  }

  /** Removes null members of objects, at any depth (array elements stay, nulls included). Iterative. */
  private static void pruneNulls(JsonNode root) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node instanceof ObjectNode object) {
        List<String> nulls = new ArrayList<>();
        object.fields().forEachRemaining(field -> {
          if (field.getValue().isNull()) {
            nulls.add(field.getKey());
          } else {
            pending.push(field.getValue());
          }
        });
        object.remove(nulls);
      } else if (node instanceof ArrayNode array) {
        array.elements().forEachRemaining(pending::push);
      }
    }
  }
}
