package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server side of Kubernetes' strategic merge patch (StrategicMergeMapPatch in
 * k8s.io/apimachinery/pkg/util/strategicpatch/patch.go, with MergeParallelList and IgnoreUnmatchedNulls), on Jackson
 * trees. Follows the Go algorithm step by step, including its quirks, so results and error codes match a real
 * apiserver:
 *
 * <ul>
 *   <li>{@code null} deletes a key; a key absent from the original takes the patch value as is.
 *   <li>Lists tagged {@code merge} merge by their merge key (primitive lists are unioned); other lists are replaced.
 *   <li>{@code $patch: replace|delete} on maps, {@code $patch: delete|replace} on list elements ({@code merge} is
 *       rejected, as in Go).
 *   <li>{@code $setElementOrder/<list>}, {@code $retainKeys}, {@code $deleteFromPrimitiveList/<list>}.
 *   <li>Order of merged lists: patch items in patch (or {@code $setElementOrder}) order, server-only items in their
 *       live order, interleaved as mergeSortedSlice does.
 * </ul>
 *
 * Both arguments are modified. Directive keys may remain inside values copied verbatim from the patch (the Go code
 * leaves them there too; decoding into a typed object drops them): {@link Patches} strips them afterwards.
 */
final class StrategicMergePatch {
  static final String DIRECTIVE_MARKER = "$patch";
  static final String RETAIN_KEYS_DIRECTIVE = "$retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST_PREFIX = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER_PREFIX = "$setElementOrder";
  private static final String DELETE = "delete";
  private static final String REPLACE = "replace";
  private static final String MERGE = "merge";
  private static final String MAP_TYPE = "map[string]interface {}";
  private static final String LIST_TYPE = "[]interface {}";
  /** Recursion only follows paths present in both trees, which parsing limits; this is a second fence. */
  private static final int MAX_DEPTH = 2 * Json.MAX_NESTING_DEPTH;

  private enum ElementKind { OBJECT, ARRAY, STRING, BOOLEAN, INTEGER, FLOAT, NULL }

  private StrategicMergePatch() {}

  /** Applies a patch to an object; returns the result (which may be {@code original}, modified, or the patch). */
  static ObjectNode apply(ObjectNode original, ObjectNode patch, PatchSchema schema) {
    return mergeMap(original, patch, schema, 0);
  }

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema, int depth) {
    if (depth > MAX_DEPTH) {
      throw PatchErrors.badRequest("the patch is nested more than " + MAX_DEPTH + " levels deep");
    }
    if (patch.has(DIRECTIVE_MARKER)) {
      return handleDirectiveInMergeMap(patch.get(DIRECTIVE_MARKER), patch);
    }
    ObjectNode result = original == null ? Json.object() : original;
    applyRetainKeysDirective(result, patch);
    mergePatchIntoOriginal(result, patch, schema, depth);

    for (String patchKey : names(patch)) {
      JsonNode patchValue = patch.get(patchKey);
      String key = patchKey;
      boolean isDeleteList = false;
      if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
        key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
        isDeleteList = true;
      }
      if (patchValue.isNull()) {
        result.remove(key);
        continue;
      }
      JsonNode originalValue = result.get(key);
      if (originalValue == null) {
        // Not in the original: take the patch value as is. (For a deletion list this adds the list, as in Go.)
        result.set(key, patchValue);
        continue;
      }
      PatchSchema.Field field = schema.field(key);
      if (originalValue instanceof ObjectNode originalObject && patchValue instanceof ObjectNode patchObject) {
        result.set(key, field.strategy() == PatchSchema.Strategy.REPLACE
            ? patchObject
            : mergeMap(originalObject, patchObject, field.type(), depth + 1));
      } else if (originalValue instanceof ArrayNode originalArray && patchValue instanceof ArrayNode patchArray) {
        result.set(key, mergeSliceHandler(originalArray, patchArray, field, isDeleteList, depth));
      } else {
        result.set(key, patchValue);
      }
    }
    return result;
  }

  private static ObjectNode handleDirectiveInMergeMap(JsonNode directive, ObjectNode patch) {
    if (isText(directive, REPLACE)) {
      patch.remove(DIRECTIVE_MARKER);
      return patch;
    }
    if (isText(directive, DELETE)) {
      return Json.object();
    }
    throw badPatchType(directive, patch);
  }

  private static void applyRetainKeysDirective(ObjectNode original, ObjectNode patch) {
    JsonNode retainKeys = patch.remove(RETAIN_KEYS_DIRECTIVE);
    if (retainKeys == null) {
      return;
    }
    if (!retainKeys.isArray()) {
      throw PatchErrors.badRequest("invalid patch format of retainKeys");
    }
    Set<String> retained = new HashSet<>();
    for (JsonNode name : retainKeys) {
      if (name.isTextual()) {
        retained.add(name.textValue());
      }
    }
    for (String key : names(patch)) {
      if (patch.get(key).isNull() || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
          || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
        continue;
      }
      if (!retained.contains(key)) {
        throw PatchErrors.badRequest("invalid patch format of retainKeys");
      }
    }
    for (String key : names(original)) {
      if (!retained.contains(key)) {
        original.remove(key);
      }
    }
  }

  /** Processes every {@code $setElementOrder/<list>} together with {@code <list>}, removing both from the patch. */
  private static void mergePatchIntoOriginal(ObjectNode original, ObjectNode patch, PatchSchema schema, int depth) {
    for (String key : names(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
        continue;
      }
      JsonNode setOrder = patch.remove(key);
      if (!setOrder.isArray()) {
        throw badArgType(LIST_TYPE, setOrder);
      }
      List<JsonNode> setOrderList = list(setOrder);
      String originalKey = extractKey(key, SET_ELEMENT_ORDER_PREFIX);
      JsonNode originalValue = original.get(originalKey);
      JsonNode patchValue = patch.get(originalKey);
      if (originalValue != null && !originalValue.isArray()) {
        throw badArgType(LIST_TYPE, originalValue);
      }
      if (patchValue != null && !patchValue.isArray()) {
        throw badArgType(LIST_TYPE, patchValue);
      }
      List<JsonNode> originalList = originalValue == null ? List.of() : list(originalValue);
      List<JsonNode> patchList = patchValue == null ? List.of() : list(patchValue);
      PatchSchema.Field field = schema.field(originalKey);
      String mergeKey = field.mergeKey();
      validatePatchWithSetOrderList(patchList, setOrderList, mergeKey);

      List<JsonNode> merged;
      if (originalValue != null && patchValue == null) {
        merged = originalList;
      } else if (originalValue == null && patchValue != null) {
        merged = patchList;
      } else if (originalValue != null) {
        merged = list(mergeSliceHandler((ArrayNode) originalValue, (ArrayNode) patchValue, field, false, depth));
      } else {
        continue;
      }
      Partition partition = mergeKey.isEmpty()
          ? partitionPrimitives(merged, setOrderList)
          : partitionMaps(merged, setOrderList, mergeKey);
      ElementKind kind = sliceElementKind(originalList, patchList);
      List<JsonNode> ordered = normalizeElementOrder(partition.inList(), partition.notInList(), setOrderList,
          originalList, mergeKey, kind);
      original.set(originalKey, array(ordered));
      patch.remove(originalKey);
    }
  }

  private static JsonNode mergeSliceHandler(ArrayNode original, ArrayNode patch, PatchSchema.Field field,
      boolean isDeleteList, int depth) {
    if (field.strategy() != PatchSchema.Strategy.MERGE) {
      return patch;
    }
    return array(mergeSlice(list(original), list(patch), field.type(), field.mergeKey(), isDeleteList, depth));
  }

  private static List<JsonNode> mergeSlice(List<JsonNode> original, List<JsonNode> patch, PatchSchema elementSchema,
      String mergeKey, boolean isDeleteList, int depth) {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    ElementKind kind = sliceElementKind(original, patch);
    List<JsonNode> merged;
    if (kind != ElementKind.OBJECT) {
      if (isDeleteList) {
        return deleteFromSlice(original, patch);
      }
      List<JsonNode> both = new ArrayList<>(original);
      both.addAll(patch);
      merged = deduplicateScalars(both);
    } else {
      if (mergeKey.isEmpty()) {
        throw PatchErrors.unknown("cannot merge lists without merge key for type string");
      }
      List<JsonNode> withoutSpecial = new ArrayList<>();
      boolean replace = false;
      List<JsonNode> remaining = new ArrayList<>(original);
      for (JsonNode element : patch) {
        if (!element.has(DIRECTIVE_MARKER)) {
          withoutSpecial.add(element);
          continue;
        }
        JsonNode directive = element.get(DIRECTIVE_MARKER);
        if (isText(directive, DELETE)) {
          if (!element.has(mergeKey)) {
            throw noMergeKey(element, mergeKey);
          }
          Object deleted = GoValues.key(element.get(mergeKey));
          remaining.removeIf(item -> item.has(mergeKey) && GoValues.key(item.get(mergeKey)).equals(deleted));
        } else if (isText(directive, REPLACE)) {
          replace = true;
        } else if (isText(directive, MERGE)) {
          throw PatchErrors.unknown("merging lists cannot yet be specified in the patch");
        } else {
          throw badPatchType(directive, (ObjectNode) element);
        }
      }
      if (replace) {
        original = withoutSpecial;
        patch = List.of();
      } else {
        original = remaining;
        patch = withoutSpecial;
      }
      merged = mergeWithoutSpecialElements(original, patch, mergeKey, elementSchema, depth);
    }
    Partition partition = mergeKey.isEmpty()
        ? partitionPrimitives(merged, patch)
        : partitionMaps(merged, patch, mergeKey);
    return normalizeElementOrder(partition.inList(), partition.notInList(), patch, original, mergeKey, kind);
  }

  private static List<JsonNode> mergeWithoutSpecialElements(List<JsonNode> original, List<JsonNode> patch,
      String mergeKey, PatchSchema elementSchema, int depth) {
    List<JsonNode> merged = new ArrayList<>(original);
    Map<Object, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < merged.size(); i++) {
      JsonNode item = merged.get(i);
      if (item.has(mergeKey)) {
        firstIndex.putIfAbsent(GoValues.key(item.get(mergeKey)), i);
      }
    }
    for (JsonNode element : patch) {
      if (!element.has(mergeKey)) {
        throw noMergeKey(element, mergeKey);
      }
      Object key = GoValues.key(element.get(mergeKey));
      Integer index = firstIndex.get(key);
      if (index != null) {
        merged.set(index, mergeMap((ObjectNode) merged.get(index), (ObjectNode) element, elementSchema, depth + 1));
      } else {
        firstIndex.put(key, merged.size());
        merged.add(element);
      }
    }
    return merged;
  }

  private static List<JsonNode> deleteFromSlice(List<JsonNode> current, List<JsonNode> toDelete) {
    Set<Object> deleted = new HashSet<>();
    for (JsonNode item : toDelete) {
      deleted.add(GoValues.key(item));
    }
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode item : current) {
      if (!deleted.contains(GoValues.key(item))) {
        kept.add(item);
      }
    }
    return kept;
  }

  /**
   * Removes duplicates. Go's in-place algorithm yields a different order, but every caller sorts the result by a
   * consistent order afterwards (all items are found in their reference list), so only membership matters.
   */
  private static List<JsonNode> deduplicateScalars(List<JsonNode> items) {
    Map<Object, JsonNode> unique = new LinkedHashMap<>();
    for (JsonNode item : items) {
      unique.putIfAbsent(GoValues.key(item), item);
    }
    return new ArrayList<>(unique.values());
  }

  private record Partition(List<JsonNode> inList, List<JsonNode> notInList) {}

  private static Partition partitionPrimitives(List<JsonNode> items, List<JsonNode> partitionBy) {
    Set<Object> present = new HashSet<>();
    for (JsonNode item : partitionBy) {
      present.add(GoValues.key(item));
    }
    List<JsonNode> in = new ArrayList<>();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode item : items) {
      (present.contains(GoValues.key(item)) ? in : out).add(item);
    }
    return new Partition(in, out);
  }

  private static Partition partitionMaps(List<JsonNode> items, List<JsonNode> partitionBy, String mergeKey) {
    Set<Object> present = null;
    List<JsonNode> in = new ArrayList<>();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.isObject()) {
        throw badArgType(MAP_TYPE, item);
      }
      if (!item.has(mergeKey)) {
        throw noMergeKey(item, mergeKey);
      }
      if (present == null) {
        present = mergeKeyValues(partitionBy, mergeKey);
      }
      (present.contains(GoValues.key(item.get(mergeKey))) ? in : out).add(item);
    }
    return new Partition(in, out);
  }

  private static Set<Object> mergeKeyValues(List<JsonNode> items, String mergeKey) {
    Set<Object> values = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        throw PatchErrors.unknown("value for key " + i + " is not a map.");
      }
      if (item.has(mergeKey)) {
        values.add(GoValues.key(item.get(mergeKey)));
      }
    }
    return values;
  }

  /** Sorts patch items by the patch order, server-only items by the live order, then interleaves them. */
  private static List<JsonNode> normalizeElementOrder(List<JsonNode> patchItems, List<JsonNode> serverOnly,
      List<JsonNode> patchOrder, List<JsonNode> serverOrder, String mergeKey, ElementKind kind) {
    List<JsonNode> sortedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
    List<JsonNode> sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
    return mergeSortedSlice(sortedServer, sortedPatch, new Positions(serverOrder, mergeKey, kind));
  }

  private static List<JsonNode> normalizeSliceOrder(List<JsonNode> toSort, List<JsonNode> order, String mergeKey,
      ElementKind kind) {
    List<JsonNode> sorted = new ArrayList<>();
    List<JsonNode> toDelete = new ArrayList<>();
    if (kind == ElementKind.OBJECT) {
      validateMergeKey(mergeKey, toSort);
      validateMergeKey(mergeKey, order);
      for (JsonNode item : toSort) {
        (isText(item.get(DIRECTIVE_MARKER), DELETE) ? toDelete : sorted).add(item);
      }
    } else {
      sorted.addAll(toSort);
    }
    Positions positions = new Positions(order, mergeKey, kind);
    GoStableSort.sort(sorted, (left, right) -> {
      int leftIndex = positions.of(left);
      if (leftIndex >= 0) {
        int rightIndex = positions.of(right);
        if (rightIndex >= 0) {
          return leftIndex < rightIndex;
        }
      }
      return true;
    });
    sorted.addAll(toDelete);
    return sorted;
  }

  /**
   * Inserts each item of {@code left} (server-only) into {@code right} (patch items): before the first right item
   * that comes after it in the live order; right items unknown to the live order go first.
   */
  private static List<JsonNode> mergeSortedSlice(List<JsonNode> left, List<JsonNode> right, Positions serverOrder) {
    List<JsonNode> result = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (i >= left.size()) {
        result.add(right.get(j++));
      } else if (j >= right.size()) {
        result.add(left.get(i++));
      } else {
        int leftIndex = serverOrder.of(left.get(i));
        int rightIndex = serverOrder.of(right.get(j));
        if (leftIndex >= 0 && rightIndex >= 0 && leftIndex < rightIndex) {
          result.add(left.get(i++));
        } else {
          result.add(right.get(j++));
        }
      }
    }
    return result;
  }

  /** Go's index(): position of the first item with the same merge key value (the same value for primitives). */
  private static final class Positions {
    private final Map<Object, Integer> first = new HashMap<>();
    private final String mergeKey;
    private final ElementKind kind;

    Positions(List<JsonNode> order, String mergeKey, ElementKind kind) {
      this.mergeKey = mergeKey;
      this.kind = kind;
      for (int i = 0; i < order.size(); i++) {
        first.putIfAbsent(identity(order.get(i)), i);
      }
    }

    int of(JsonNode item) {
      return first.getOrDefault(identity(item), -1);
    }

    private Object identity(JsonNode item) {
      if (kind == ElementKind.OBJECT) {
        return GoValues.key(item.isObject() ? item.get(mergeKey) : null);
      }
      return GoValues.key(item);
    }
  }

  private static void validateMergeKey(String mergeKey, List<JsonNode> items) {
    for (JsonNode item : items) {
      if (!item.isObject()) {
        throw badArgType(MAP_TYPE, item);
      }
      if (!item.has(mergeKey)) {
        throw noMergeKey(item, mergeKey);
      }
    }
  }

  /**
   * Checks that the patch list's items (ignoring deletions and items with directives) appear in the
   * {@code $setElementOrder} list, in the same relative order.
   */
  private static void validatePatchWithSetOrderList(List<JsonNode> patchList, List<JsonNode> setOrderList,
      String mergeKey) {
    if (setOrderList.isEmpty() || patchList.isEmpty()) {
      return;
    }
    List<JsonNode> nonDelete = new ArrayList<>();
    if (!mergeKey.isEmpty()) {
      for (JsonNode item : patchList) {
        if (!item.isObject()) {
          throw badArgType(MAP_TYPE, item);
        }
        if (!isText(item.get(DIRECTIVE_MARKER), DELETE)) {
          nonDelete.add(item);
        }
      }
    } else {
      nonDelete.addAll(patchList);
    }
    int patchIndex = 0;
    int setOrderIndex = 0;
    while (patchIndex < nonDelete.size() && setOrderIndex < setOrderList.size()) {
      JsonNode item = nonDelete.get(patchIndex);
      if (item.isObject() && item.has(DIRECTIVE_MARKER)) {
        patchIndex++;
        continue;
      }
      if (mergeKeyValueEqual(item, setOrderList.get(setOrderIndex), mergeKey)) {
        patchIndex++;
      }
      setOrderIndex++;
    }
    if (patchIndex < nonDelete.size() && setOrderIndex >= setOrderList.size()) {
      throw PatchErrors.unknown("The order in patch list:\n" + GoValues.format(patchList) + "\n doesn't match "
          + SET_ELEMENT_ORDER_PREFIX + " list:\n" + GoValues.format(setOrderList) + "\n");
    }
  }

  private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey) {
    if (mergeKey.isEmpty()) {
      return GoValues.same(left, right);
    }
    if (!left.isObject()) {
      throw badArgType(MAP_TYPE, left);
    }
    if (!right.isObject()) {
      throw badArgType(MAP_TYPE, right);
    }
    if (!left.has(mergeKey)) {
      throw noMergeKey(left, mergeKey);
    }
    if (!right.has(mergeKey)) {
      throw noMergeKey(right, mergeKey);
    }
    return GoValues.same(left.get(mergeKey), right.get(mergeKey));
  }

  /** The common element kind of the lists; lists of lists are refused (422), mixed kinds are an error (500). */
  private static ElementKind sliceElementKind(List<JsonNode> first, List<JsonNode> second) {
    ElementKind previous = null;
    for (List<JsonNode> slice : List.of(first, second)) {
      for (JsonNode item : slice) {
        ElementKind current = kindOf(item);
        if (previous == null) {
          if (current == ElementKind.ARRAY) {
            throw PatchErrors.unprocessable();
          }
          previous = current;
        } else if (previous != current) {
          throw PatchErrors.unknown("list element types are not identical: ["
              + GoValues.format(first) + " " + GoValues.format(second) + "]");
        }
      }
    }
    if (previous == null) {
      throw PatchErrors.unknown("no elements in any of the given slices");
    }
    return previous;
  }

  private static ElementKind kindOf(JsonNode item) {
    if (item.isObject()) {
      return ElementKind.OBJECT;
    }
    if (item.isArray()) {
      return ElementKind.ARRAY;
    }
    if (item.isTextual()) {
      return ElementKind.STRING;
    }
    if (item.isBoolean()) {
      return ElementKind.BOOLEAN;
    }
    if (item.isIntegralNumber()) {
      return ElementKind.INTEGER;
    }
    return item.isNumber() ? ElementKind.FLOAT : ElementKind.NULL;
  }

  /** The list name after a directive prefix, e.g. "containers" in "$setElementOrder/containers". */
  private static String extractKey(String key, String prefix) {
    int slash = key.indexOf('/');
    if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
      throw PatchErrors.badRequest(prefix.equals(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
          ? "invalid patch format of primitive list"
          : "invalid patch format of setElementOrder list");
    }
    return key.substring(slash + 1);
  }

  private static boolean isText(JsonNode node, String text) {
    return node != null && node.isTextual() && node.textValue().equals(text);
  }

  private static List<String> names(ObjectNode object) {
    List<String> names = new ArrayList<>(object.size());
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>(array.size());
    array.elements().forEachRemaining(items::add);
    return items;
  }

  private static ArrayNode array(List<JsonNode> items) {
    ArrayNode array = Json.array();
    array.addAll(items);
    return array;
  }

  private static ApiException noMergeKey(JsonNode map, String mergeKey) {
    return PatchErrors.unknown("map: " + GoValues.format(map) + " does not contain declared merge key: " + mergeKey);
  }

  private static ApiException badArgType(String expected, JsonNode actual) {
    return PatchErrors.unknown("expected a " + expected + ", but received a " + GoValues.typeName(actual));
  }

  private static ApiException badPatchType(JsonNode directive, ObjectNode map) {
    String rendered = directive.isTextual()
        ? directive.textValue()
        : "%!s(" + GoValues.typeName(directive) + "=" + GoValues.format(directive) + ")";
    return PatchErrors.unknown("unknown patch type: " + rendered + " in map: " + GoValues.format(map));
  }
}
