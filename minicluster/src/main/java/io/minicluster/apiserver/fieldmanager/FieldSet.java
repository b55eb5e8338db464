package io.minicluster.apiserver.fieldmanager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A set of field paths, as structured-merge-diff's fieldpath.Set: a tree whose nodes are path elements, each node
 * either a member of the set or only the parent of members. Its wire form is the fieldsV1 encoding of managedFields
 * ({@code {"f:spec":{"f:replicas":{}}}}, with {@code ".": {}} where a member also has members below it).
 *
 * <p>Mutable while it is built ({@link #insert}); the set operations return new sets and leave their operands as
 * they are.
 */
public final class FieldSet {
  private boolean member;
  private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

  public FieldSet() {}

  /** A set of these paths. */
  public static FieldSet of(List<List<PathElement>> paths) {
    FieldSet set = new FieldSet();
    paths.forEach(set::insert);
    return set;
  }

  /** Adds a path (an empty path makes the root itself a member). */
  public void insert(List<PathElement> path) {
    FieldSet node = this;
    for (PathElement element : path) {
      node = node.children.computeIfAbsent(element, e -> new FieldSet());
    }
    node.member = true;
  }

  public boolean isEmpty() {
    return !member && children.isEmpty();
  }

  /** Whether the path is a member. */
  public boolean has(List<PathElement> path) {
    FieldSet node = this;
    for (PathElement element : path) {
      node = node.children.get(element);
      if (node == null) {
        return false;
      }
    }
    return node.member;
  }

  /** The subtree below a path (members below it, relative to it); empty when there is none. */
  public FieldSet below(List<PathElement> path) {
    FieldSet node = this;
    for (PathElement element : path) {
      node = node.children.get(element);
      if (node == null) {
        return new FieldSet();
      }
    }
    return node.copy();
  }

  /** The set of the root's member flag and children of one element (for walkers). */
  FieldSet child(PathElement element) {
    return children.get(element);
  }

  boolean isMember() {
    return member;
  }

  Map<PathElement, FieldSet> children() {
    return children;
  }

  public FieldSet copy() {
    FieldSet copy = new FieldSet();
    copy.member = member;
    children.forEach((element, child) -> copy.children.put(element, child.copy()));
    return copy;
  }

  public FieldSet union(FieldSet other) {
    FieldSet result = copy();
    result.addAll(other);
    return result;
  }

  private void addAll(FieldSet other) {
    member |= other.member;
    other.children.forEach((element, child) ->
        children.computeIfAbsent(element, e -> new FieldSet()).addAll(child));
  }

  /** The members of this set that are not members of the other. */
  public FieldSet difference(FieldSet other) {
    FieldSet result = new FieldSet();
    result.member = member && !other.member;
    children.forEach((element, child) -> {
      FieldSet otherChild = other.children.get(element);
      FieldSet kept = otherChild == null ? child.copy() : child.difference(otherChild);
      if (!kept.isEmpty()) {
        result.children.put(element, kept);
      }
    });
    return result;
  }

  /** The members of both sets. */
  public FieldSet intersection(FieldSet other) {
    FieldSet result = new FieldSet();
    result.member = member && other.member;
    children.forEach((element, child) -> {
      FieldSet otherChild = other.children.get(element);
      if (otherChild != null) {
        FieldSet both = child.intersection(otherChild);
        if (!both.isEmpty()) {
          result.children.put(element, both);
        }
      }
    });
    return result;
  }

  /** Calls back with every member path, in order. */
  public void forEachPath(Consumer<List<PathElement>> action) {
    walk(new ArrayList<>(), action);
  }

  private void walk(List<PathElement> prefix, Consumer<List<PathElement>> action) {
    if (member) {
      action.accept(List.copyOf(prefix));
    }
    children.forEach((element, child) -> {
      prefix.add(element);
      child.walk(prefix, action);
      prefix.remove(prefix.size() - 1);
    });
  }

  /** The member paths, in order. */
  public List<List<PathElement>> paths() {
    List<List<PathElement>> paths = new ArrayList<>();
    forEachPath(paths::add);
    return paths;
  }

  /** The fieldsV1 form. */
  public ObjectNode toFieldsV1() {
    ObjectNode node = Json.object();
    if (member && !children.isEmpty()) {
      node.putObject(".");
    }
    children.forEach((element, child) -> node.set(element.encode(), child.toFieldsV1()));
    return node;
  }

  /**
   * The set of a fieldsV1 value.
   *
   * @throws IllegalArgumentException when the value is not a fieldsV1 tree
   */
  public static FieldSet fromFieldsV1(JsonNode fields) {
    requireNonNull(fields, "fields is null");
    if (!fields.isObject()) {
      throw new IllegalArgumentException("expected an object");
    }
    FieldSet set = new FieldSet();
    set.read((ObjectNode) fields);
    return set;
  }

  private void read(ObjectNode fields) {
    fields.fields().forEachRemaining(field -> {
      if (!field.getValue().isObject()) {
        throw new IllegalArgumentException("expected an object at " + field.getKey());
      }
      if (field.getKey().equals(".")) {
        member = true;
        return;
      }
      FieldSet child = children.computeIfAbsent(PathElement.decode(field.getKey()), e -> new FieldSet());
      if (field.getValue().isEmpty()) {
        child.member = true;
      } else {
        child.read((ObjectNode) field.getValue());
      }
    });
  }

  /** A path as fieldpath prints it: {@code .spec.containers[name="nginx"].image}. */
  public static String toString(List<PathElement> path) {
    StringBuilder text = new StringBuilder();
    path.forEach(text::append);
    return text.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet other && member == other.member && children.equals(other.children);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(member) * 31 + children.hashCode();
  }

  @Override
  public String toString() {
    return Json.string(toFieldsV1());
  }
}
