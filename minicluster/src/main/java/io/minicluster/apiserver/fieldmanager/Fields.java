package io.minicluster.apiserver.fieldmanager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The walks of structured-merge-diff over typed values: the field set of a value (typed.ToFieldSet), the comparison
 * of two values (typed.Compare: added, modified and removed paths), the merge of an applied configuration into a live
 * object (typed.Merge) and the removal of paths (typed.RemoveItems).
 */
public final class Fields {
  private Fields() {}

  /** The paths a comparison found. */
  public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
    public Comparison {
      requireNonNull(added, "added is null");
      requireNonNull(modified, "modified is null");
      requireNonNull(removed, "removed is null");
    }

    /** Added and modified paths: what a writer of the new value takes. */
    public FieldSet changed() {
      return added.union(modified);
    }

    public boolean isSame() {
      return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
    }
  }

  // ---------------------------------------------------------------- field set

  /** The paths a value sets: its leaves, its list items and map entries, its fields set to null or {}. */
  public static FieldSet toFieldSet(JsonNode value, FieldType type) {
    FieldSet set = new FieldSet();
    collect(value, resolve(type, value), new ArrayList<>(), set);
    return set;
  }

  private static void collect(JsonNode value, FieldType type, List<PathElement> path, FieldSet set) {
    switch (type.shape()) {
      case SCALAR, ATOMIC -> set.insert(path);
      case STRUCT, MAP -> {
        if (!(value instanceof ObjectNode object)) {
          set.insert(path);
          return;
        }
        object.fields().forEachRemaining(field -> {
          FieldType declared = type.field(field.getKey());
          FieldType child = resolve(declared, field.getValue());
          path.add(PathElement.field(field.getKey()));
          collect(field.getValue(), child, path, set);
          JsonNode v = field.getValue();
          if (type.shape() == FieldType.Shape.MAP || declared == null || v.isNull() || (v.isObject() && v.isEmpty())) {
            set.insert(path);
          }
          path.remove(path.size() - 1);
        });
      }
      case ASSOCIATIVE_LIST, SET -> {
        if (!(value instanceof ArrayNode array)) {
          if (value != null && !value.isNull()) {
            set.insert(path);
          }
          return;
        }
        for (int i = 0; i < array.size(); i++) {
          JsonNode item = array.get(i);
          path.add(itemElement(type, item, i));
          if (type.shape() == FieldType.Shape.ASSOCIATIVE_LIST) {
            collect(item, resolve(type.element(), item), path, set);
          }
          set.insert(path);
          path.remove(path.size() - 1);
        }
      }
    }
  }

  /** A declared type, or the deduced type of the value where nothing is declared. */
  static FieldType resolve(FieldType declared, JsonNode value) {
    if (declared != null && !declared.isDeduced()) {
      return declared;
    }
    return FieldType.deducedFor(value != null && value.isObject(), value != null && value.isArray());
  }

  private static PathElement itemElement(FieldType list, JsonNode item, int index) {
    if (list.shape() == FieldType.Shape.SET) {
      return PathElement.value(item);
    }
    if (!(item instanceof ObjectNode object)) {
      return PathElement.index(index);
    }
    Map<String, JsonNode> key = new TreeMap<>();
    for (String name : list.keys()) {
      JsonNode value = object.get(name);
      if (value == null || value.isNull()) {
        String fallback = FieldType.KEY_DEFAULTS.get(name);
        if (fallback == null) {
          continue;
        }
        value = TextNode.valueOf(fallback);
      }
      key.put(name, value);
    }
    return key.isEmpty() ? PathElement.index(index) : PathElement.key(key);
  }

  /** The items of a list by their path element, in list order. */
  private static Map<PathElement, JsonNode> items(FieldType list, JsonNode value) {
    Map<PathElement, JsonNode> items = new LinkedHashMap<>();
    if (value instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        items.put(itemElement(list, array.get(i), i), array.get(i));
      }
    }
    return items;
  }

  // ---------------------------------------------------------------- compare

  /** What changed from lhs to rhs (either may be null: absent). */
  public static Comparison compare(JsonNode lhs, JsonNode rhs, FieldType type) {
    Comparison comparison = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
    compare(lhs, rhs, resolve(type, rhs != null ? rhs : lhs), new ArrayList<>(), comparison);
    return comparison;
  }

  /**
   * What changed from lhs to rhs in the top-level fields {@code fields} accepts, the others not compared: the same
   * as {@link #compare(JsonNode, JsonNode, FieldType)} without the paths below the fields not accepted.
   */
  public static Comparison compare(ObjectNode lhs, ObjectNode rhs, FieldType type, Predicate<String> fields) {
    requireNonNull(fields, "fields is null");
    Comparison comparison = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
    FieldType root = resolve(type, rhs);
    Set<String> names = new LinkedHashSet<>();
    lhs.fieldNames().forEachRemaining(names::add);
    rhs.fieldNames().forEachRemaining(names::add);
    List<PathElement> path = new ArrayList<>();
    for (String name : names) {
      if (fields.test(name)) {
        JsonNode l = lhs.get(name);
        JsonNode r = rhs.get(name);
        path.add(PathElement.field(name));
        compare(l, r, resolve(root.field(name), r != null ? r : l), path, comparison);
        path.remove(0);
      }
    }
    return comparison;
  }

  private static void compare(JsonNode lhs, JsonNode rhs, FieldType type, List<PathElement> path, Comparison out) {
    boolean leaf = switch (type.shape()) {
      case SCALAR, ATOMIC -> true;
      case STRUCT, MAP -> !(lhs instanceof ObjectNode || rhs instanceof ObjectNode) || (empty(lhs) && empty(rhs));
      case ASSOCIATIVE_LIST, SET -> !(lhs instanceof ArrayNode || rhs instanceof ArrayNode)
          || (empty(lhs) && empty(rhs));
    };
    if (leaf) {
      if (lhs == null) {
        out.added().insert(path);
      } else if (rhs == null) {
        out.removed().insert(path);
      } else if (!Json.sameValue(lhs, rhs)) {
        out.modified().insert(path);
      }
      return;
    }
    if (type.shape() == FieldType.Shape.STRUCT || type.shape() == FieldType.Shape.MAP) {
      Set<String> names = new LinkedHashSet<>();
      if (lhs instanceof ObjectNode l) {
        l.fieldNames().forEachRemaining(names::add);
      }
      if (rhs instanceof ObjectNode r) {
        r.fieldNames().forEachRemaining(names::add);
      }
      for (String name : names) {
        JsonNode l = lhs == null ? null : lhs.get(name);
        JsonNode r = rhs == null ? null : rhs.get(name);
        path.add(PathElement.field(name));
        compare(l, r, resolve(type.field(name), r != null ? r : l), path, out);
        path.remove(path.size() - 1);
      }
    } else {
      Map<PathElement, JsonNode> left = items(type, lhs);
      Map<PathElement, JsonNode> right = items(type, rhs);
      Set<PathElement> keys = new LinkedHashSet<>(left.keySet());
      keys.addAll(right.keySet());
      for (PathElement key : keys) {
        JsonNode l = left.get(key);
        JsonNode r = right.get(key);
        path.add(key);
        if (type.shape() == FieldType.Shape.SET) {
          compare(l, r, FieldType.deducedFor(false, false), path, out);
        } else {
          compare(l, r, resolve(type.element(), r != null ? r : l), path, out);
        }
        path.remove(path.size() - 1);
      }
    }
    // a node that is not a leaf counts itself when it appears or goes away
    if (lhs == null) {
      out.added().insert(path);
    } else if (rhs == null) {
      out.removed().insert(path);
    }
  }

  private static boolean empty(JsonNode value) {
    return value == null || value.isNull() || (value.isContainerNode() && value.isEmpty());
  }

  // ---------------------------------------------------------------- merge

  /**
   * The configuration merged into the live value: structs and maps field by field, associative lists item by key
   * (live items keep their place, new items follow), sets by value, everything else replaced by the configuration.
   * Neither argument is modified.
   */
  public static JsonNode merge(JsonNode live, JsonNode config, FieldType type) {
    if (config == null) {
      return live == null ? null : live.deepCopy();
    }
    if (live == null || live.isNull() || config.isNull()) {
      return config.deepCopy();
    }
    FieldType resolved = resolve(type, config);
    switch (resolved.shape()) {
      case STRUCT, MAP -> {
        if (!(live instanceof ObjectNode l) || !(config instanceof ObjectNode c)) {
          return config.deepCopy();
        }
        ObjectNode result = l.deepCopy();
        c.fields().forEachRemaining(field -> result.set(field.getKey(),
            merge(l.get(field.getKey()), field.getValue(), resolved.field(field.getKey()))));
        return result;
      }
      case ASSOCIATIVE_LIST, SET -> {
        if (!(live instanceof ArrayNode) || !(config instanceof ArrayNode)) {
          return config.deepCopy();
        }
        Map<PathElement, JsonNode> left = items(resolved, live);
        Map<PathElement, JsonNode> right = items(resolved, config);
        ArrayNode result = Json.array();
        left.forEach((key, item) -> result.add(right.containsKey(key)
            ? merge(item, right.get(key), resolved.element()) : item.deepCopy()));
        right.forEach((key, item) -> {
          if (!left.containsKey(key)) {
            result.add(item.deepCopy());
          }
        });
        return result;
      }
      default -> {
        return config.deepCopy();
      }
    }
  }

  // ---------------------------------------------------------------- remove

  /**
   * Removes the members of a set from a value (in place): a member field, map entry or list item goes with all
   * below it; paths that are not members lead to members further down.
   */
  public static void remove(JsonNode value, FieldSet set, FieldType type) {
    FieldType resolved = resolve(type, value);
    if (value instanceof ObjectNode object && (resolved.shape() == FieldType.Shape.STRUCT
        || resolved.shape() == FieldType.Shape.MAP)) {
      set.children().forEach((element, child) -> {
        if (element.kind() != PathElement.Kind.FIELD || !object.has(element.text())) {
          return;
        }
        if (child.isMember()) {
          object.remove(element.text());
        } else {
          remove(object.get(element.text()), child, resolved.field(element.text()));
        }
      });
    } else if (value instanceof ArrayNode array && (resolved.shape() == FieldType.Shape.ASSOCIATIVE_LIST
        || resolved.shape() == FieldType.Shape.SET)) {
      for (int i = array.size() - 1; i >= 0; i--) {
        FieldSet child = set.child(itemElement(resolved, array.get(i), i));
        if (child == null) {
          continue;
        }
        if (child.isMember()) {
          array.remove(i);
        } else if (resolved.shape() == FieldType.Shape.ASSOCIATIVE_LIST) {
          remove(array.get(i), child, resolved.element());
        }
      }
    }
  }
}
