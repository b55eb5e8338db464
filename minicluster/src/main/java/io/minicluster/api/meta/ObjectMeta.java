package io.minicluster.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** metav1.ObjectMeta, the fields consumers read (managedFields and selfLink are left out). */
public record ObjectMeta(String name, String generateName, String namespace, String uid, String resourceVersion,
    long generation, Instant creationTimestamp, Instant deletionTimestamp, Long deletionGracePeriodSeconds,
    Map<String, String> labels, Map<String, String> annotations, List<OwnerReference> ownerReferences,
    List<String> finalizers) {

  /** The metadata of an object that has none. */
  public static final ObjectMeta EMPTY = new ObjectMeta("", "", "", "", "", 0, null, null, null, Map.of(), Map.of(),
      List.of(), List.of());

  public ObjectMeta {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    ownerReferences = List.copyOf(ownerReferences);
    finalizers = List.copyOf(finalizers);
  }

  /** The metadata object (the value of an object's {@code metadata}); {@link #EMPTY} for null. */
  public static ObjectMeta from(JsonNode node) {
    if (node == null || !node.isObject()) {
      return EMPTY;
    }
    return new ObjectMeta(JsonValues.string(node, "name"), JsonValues.string(node, "generateName"),
        JsonValues.string(node, "namespace"), JsonValues.string(node, "uid"),
        JsonValues.string(node, "resourceVersion"), JsonValues.int64(node, "generation"),
        JsonValues.time(node, "creationTimestamp"), JsonValues.time(node, "deletionTimestamp"),
        JsonValues.optionalInt64(node, "deletionGracePeriodSeconds"), JsonValues.stringMap(node, "labels"),
        JsonValues.stringMap(node, "annotations"), JsonValues.list(node, "ownerReferences", OwnerReference::from),
        JsonValues.strings(node, "finalizers"));
  }

  /** The metadata of an object ({@code object.metadata}). */
  public static ObjectMeta of(JsonNode object) {
    return from(JsonValues.child(object, "metadata"));
  }

  /** The owner reference with {@code controller: true} (metav1.GetControllerOf). */
  public Optional<OwnerReference> controllerRef() {
    for (OwnerReference reference : ownerReferences) {
      if (reference.isController()) {
        return Optional.of(reference);
      }
    }
    return Optional.empty();
  }

  /** Whether deletion has begun (a deletionTimestamp is set). */
  public boolean isDeleting() {
    return deletionTimestamp != null;
  }

  public boolean hasFinalizer(String finalizer) {
    return finalizers.contains(finalizer);
  }

  /** "namespace/name", or "name" for cluster-scoped objects (cache.MetaNamespaceKeyFunc). */
  public String key() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
