package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pruning of unknown fields (apiextensions-apiserver's pruning: PruneWithOptions): fields the schema does not specify
 * are dropped, unless x-kubernetes-preserve-unknown-fields keeps them; apiVersion, kind and metadata of the resource
 * and of embedded resources are kept. Records the paths of the dropped fields ("spec.foo", "spec.list[0].bar"), which
 * the apiserver reports as unknown fields under strict or warning field validation.
 */
final class Pruning {
  private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");
  private static final Set<String> OBJECT_META_FIELDS = Set.of("name", "generateName", "namespace", "selfLink",
      "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
      "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

  private final List<String> pruned = new ArrayList<>();

  private Pruning() {}

  /**
   * Prunes {@code value} against {@code s} and returns the pruned paths, sorted. At a resource root apiVersion, kind
   * and metadata are kept as in an embedded resource.
   */
  static List<String> prune(JsonNode value, JsonNode s, boolean resourceRoot) {
    Pruning pruning = new Pruning();
    pruning.prune(value, s, resourceRoot, "");
    pruning.pruned.sort(null);
    return List.copyOf(pruning.pruned);
  }

  private static String key(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private void prune(JsonNode value, JsonNode s, boolean resourceRoot, String path) {
    boolean embedded = resourceRoot || (s != null && Nodes.flag(s, Nodes.EMBEDDED_RESOURCE));
    if (s != null && Nodes.flag(s, Nodes.PRESERVE_UNKNOWN_FIELDS)) {
      skipPrune(value, s, embedded, resourceRoot, path);
      return;
    }
    if (value.isObject()) {
      List<String> keys = new ArrayList<>();
      value.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        if (embedded && META_FIELDS.contains(key)) {
          coerceEmbeddedMetadata(value, key, resourceRoot, path);
          continue;
        }
        JsonNode property = s == null ? null : Nodes.property(s, key);
        if (property != null) {
          prune(value.get(key), property, false, key(path, key));
        } else if (s != null && Nodes.has(s, "additionalProperties")) {
          prune(value.get(key), Nodes.additionalSchema(s), false, key(path, key));
        } else {
          pruned.add(key(path, key));
          ((ObjectNode) value).remove(key);
        }
      }
    } else if (value.isArray()) {
      JsonNode items = s == null ? null : Nodes.items(s);
      for (int i = 0; i < value.size(); i++) {
        prune(value.get(i), items, false, Paths.index(path, i));
      }
    }
  }

  /**
   * The metadata of an embedded resource keeps only ObjectMeta's fields, as objectmeta.Coerce round-trips it through
   * ObjectMeta (the resource's own metadata is the registry's business).
   */
  private void coerceEmbeddedMetadata(JsonNode object, String key, boolean resourceRoot, String path) {
    JsonNode metadata = object.get(key);
    if (resourceRoot || !key.equals("metadata") || !(metadata instanceof ObjectNode fields)) {
      return;
    }
    List<String> names = new ArrayList<>();
    fields.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (!OBJECT_META_FIELDS.contains(name)) {
        pruned.add(key(key(path, key), name));
        fields.remove(name);
      }
    }
  }

  /** Below x-kubernetes-preserve-unknown-fields: unknown fields stay, specified ones are pruned by their schema. */
  private void skipPrune(JsonNode value, JsonNode s, boolean embedded, boolean resourceRoot, String path) {
    if (value.isObject()) {
      List<String> keys = new ArrayList<>();
      value.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        if (embedded && META_FIELDS.contains(key)) {
          coerceEmbeddedMetadata(value, key, resourceRoot, path);
          continue;
        }
        JsonNode property = Nodes.property(s, key);
        if (property != null) {
          prune(value.get(key), property, false, key(path, key));
        } else if (Nodes.has(s, "additionalProperties")) {
          prune(value.get(key), Nodes.additionalSchema(s), false, key(path, key));
        }
      }
    } else if (value.isArray()) {
      JsonNode items = Nodes.items(s);
      if (items == null) {
        return;
      }
      // as upstream: the items of a preserved array are not pruned, only their specified fields are
      for (int i = 0; i < value.size(); i++) {
        skipPrune(value.get(i), items, Nodes.flag(items, Nodes.EMBEDDED_RESOURCE), false, Paths.index(path, i));
      }
    }
  }
}
