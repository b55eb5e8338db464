package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6902 JSON Patch as the apiserver applies it (gopkg.in/evanphx/json-patch.v4 behind handlers/patch.go), with
 * zjsonpatch doing add/remove/replace/move/copy ({@link ZjsonpatchOperation}).
 *
 * <ul>
 *   <li>The body must be a JSON array of objects (else 400); {@code null} is an empty patch.
 *   <li>More than {@value #MAX_OPERATIONS} operations: 413.
 *   <li>Any failing operation: 422 Invalid with the apiserver's generic message (it does not report the cause).
 *   <li>evanphx v4 semantics kept: {@code replace} of a missing object member adds it; {@code remove} of a missing
 *       member fails; a missing {@code value} means null; {@code test} of a missing member against null passes, and
 *       scalars compare by their JSON text (so 1 and 1.0 differ).
 * </ul>
 */
final class JsonPatch {
  private static final Logger LOG = LoggerFactory.getLogger(JsonPatch.class);

  /** maxJSONPatchOperations in handlers/patch.go. */
  static final int MAX_OPERATIONS = 10000;

  /** Cap on nodes created by "copy" operations; without it, repeated copies grow the document exponentially. */
  static final long MAX_COPIED_NODES = 1_000_000;

  private JsonPatch() {}

  /** Applies the patch to a copy of the document; the result may be any JSON value (root replacement). */
  static JsonNode apply(ObjectNode document, byte[] body) {
    JsonNode patch;
    try {
      patch = Json.parse(body);
    } catch (IOException e) {
      throw PatchErrors.badRequest(Bodies.parseErrorMessage(e));
    }
    if (patch == null || patch.isMissingNode() || patch.isNull()) {
      return document.deepCopy();
    }
    if (!patch.isArray()) {
      throw PatchErrors.badRequest("json: cannot unmarshal " + Bodies.goJsonType(patch)
          + " into Go value of type jsonpatch.Patch");
    }
    for (JsonNode operation : patch) {
      if (!operation.isObject() && !operation.isNull()) {
        throw PatchErrors.badRequest("json: cannot unmarshal " + Bodies.goJsonType(operation)
            + " into Go value of type jsonpatch.Operation");
      }
    }
    if (patch.size() > MAX_OPERATIONS) {
      throw PatchErrors.tooManyOperations(MAX_OPERATIONS, patch.size());
    }
    JsonNode result = document.deepCopy();
    long copiedNodes = 0;
    int index = 0;
    for (JsonNode operation : patch) {
      try {
        copiedNodes += copiedNodes(result, operation, MAX_COPIED_NODES - copiedNodes);
        result = applyOne(result, operation);
      } catch (OperationFailedException | RuntimeException e) {
        LOG.debug("JSON patch operation {} failed: {}", index, e.toString());
        throw PatchErrors.unprocessable();
      }
      index++;
    }
    return result;
  }

  private static JsonNode applyOne(JsonNode document, JsonNode operation) throws OperationFailedException {
    if (!operation.isObject()) {
      throw new OperationFailedException("Unexpected kind: unknown");
    }
    JsonNode op = operation.get("op");
    if (op != null && op.isTextual() && op.textValue().equals("test")) {
      test(document, operation);
      return document;
    }
    return ZjsonpatchOperation.apply(document, operation);
  }

  /** The "test" operation with evanphx semantics. */
  private static void test(JsonNode document, JsonNode operation) throws OperationFailedException {
    JsonNode pathNode = operation.get("path");
    if (pathNode == null || !pathNode.isTextual()) {
      throw new OperationFailedException("test operation failed to decode path");
    }
    String path = pathNode.textValue();
    JsonNode expected = operation.get("value");
    boolean expectNull = expected == null || expected.isNull();
    if (path.isEmpty()) {
      if (!jsonEquals(document, expected)) {
        throw new OperationFailedException("testing value  failed: test failed");
      }
      return;
    }
    JsonPointer pointer = JsonPointer.compile(path);
    JsonNode parent = document.at(pointer.head());
    if (parent.isMissingNode() || !(parent.isObject() || parent.isArray())) {
      throw new OperationFailedException("test operation does not apply: is missing path: " + path);
    }
    JsonNode actual = document.at(pointer);
    if (actual.isMissingNode()) {
      if (parent.isArray()) {
        throw new OperationFailedException("error in test for path: '" + path + "'");
      }
      if (!expectNull) {
        throw new OperationFailedException("testing value " + path + " failed: test failed");
      }
      return;
    }
    if (actual.isNull() ? !expectNull : !jsonEquals(actual, expected)) {
      throw new OperationFailedException("testing value " + path + " failed: test failed");
    }
  }

  /** evanphx's lazyNode.equal: objects and arrays structurally, scalars by their compact JSON text. */
  static boolean jsonEquals(JsonNode left, JsonNode right) {
    if (left == null || right == null) {
      return left == right;
    }
    Deque<JsonNode[]> pending = new ArrayDeque<>();
    pending.push(new JsonNode[] {left, right});
    while (!pending.isEmpty()) {
      JsonNode[] pair = pending.pop();
      JsonNode a = pair[0];
      JsonNode b = pair[1];
      if (a.isObject()) {
        if (!b.isObject() || a.size() != b.size()) {
          return false;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          JsonNode other = b.get(field.getKey());
          if (other == null) {
            return false;
          }
          pending.push(new JsonNode[] {field.getValue(), other});
        }
      } else if (a.isArray()) {
        if (!b.isArray() || a.size() != b.size()) {
          return false;
        }
        for (int i = 0; i < a.size(); i++) {
          pending.push(new JsonNode[] {a.get(i), b.get(i)});
        }
      } else if (b.isContainerNode() || !Json.string(a).equals(Json.string(b))) {
        return false;
      }
    }
    return true;
  }

  /** Nodes a "copy" operation would create, checked against the remaining budget. */
  private static long copiedNodes(JsonNode document, JsonNode operation, long budget)
      throws OperationFailedException {
    if (!operation.isObject()) {
      return 0;
    }
    JsonNode op = operation.get("op");
    JsonNode from = operation.get("from");
    if (op == null || !op.isTextual() || !op.textValue().equals("copy") || from == null || !from.isTextual()) {
      return 0;
    }
    JsonNode source;
    try {
      source = document.at(JsonPointer.compile(from.textValue()));
    } catch (IllegalArgumentException e) {
      return 0;
    }
    long count = 0;
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(source);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (++count > budget) {
        throw new OperationFailedException("the accumulated size of copy operations exceeds the limit");
      }
      node.elements().forEachRemaining(pending::push);
    }
    return count;
  }

  /** One operation could not be applied. */
  private static final class OperationFailedException extends Exception {
    OperationFailedException(String message) {
      super(message);
    }
  }
}
