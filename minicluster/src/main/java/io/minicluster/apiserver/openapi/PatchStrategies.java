package io.minicluster.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.apiserver.patch.PatchSchema;
import io.minicluster.apiserver.schema.Schema;
import io.minicluster.apiserver.schema.Schemas;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The strategic-merge-patch strategy of each property, as the OpenAPI documents publish it in
 * {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key}: the same table the server merges
 * with ({@link PatchSchema}), laid onto the definitions by walking each kind's schema. Clients that build their
 * patches from the document (kubectl apply from OpenAPI v2) then merge lists by key as the server does.
 */
final class PatchStrategies {
  /**
   * One property's strategy.
   *
   * @param strategy "merge", "replace", "retainKeys" or "merge,retainKeys"
   * @param mergeKey the key a merged list of objects is merged by
   */
  record Strategy(String strategy, Optional<String> mergeKey) {
    Strategy {
      requireNonNull(strategy, "strategy is null");
      requireNonNull(mergeKey, "mergeKey is null");
    }
  }

  private static final PatchStrategies NONE = new PatchStrategies(Map.of());

  private final Map<String, Map<String, Strategy>> byDefinition;

  private PatchStrategies(Map<String, Map<String, Strategy>> byDefinition) {
    this.byDefinition = byDefinition;
  }

  static PatchStrategies none() {
    return NONE;
  }

  /** The strategies of every definition reachable from the kinds of these resource types. */
  static PatchStrategies of(List<ResourceType> types) {
    Map<String, Map<String, Strategy>> found = new HashMap<>();
    Set<String> visited = new HashSet<>();
    for (ResourceType type : types) {
      Schemas.forKind(type.apiVersion(), type.kind()).ifPresent(schema ->
          walk(schema, PatchSchema.forKind(type.apiVersion(), type.kind()), found, visited));
    }
    return new PatchStrategies(found);
  }

  /** The strategy of a property, when it has one. */
  Optional<Strategy> of(String definition, String property) {
    return Optional.ofNullable(byDefinition.getOrDefault(definition, Map.of()).get(property));
  }

  private static void walk(Schema schema, PatchSchema patch, Map<String, Map<String, Strategy>> found,
      Set<String> visited) {
    if (schema == null || schema.kind() != Schema.Kind.OBJECT || patch == null || patch == PatchSchema.ANY
        || !visited.add(schema.definitionName() + " " + patch.name())) {
      return;
    }
    schema.properties().forEach((name, property) -> {
      PatchSchema.Field field = patch.field(name);
      strategy(field).ifPresent(strategy ->
          found.computeIfAbsent(schema.definitionName(), d -> new HashMap<>()).put(name, strategy));
      walk(structOf(property), field.type(), found, visited);
    });
  }

  private static Optional<Strategy> strategy(PatchSchema.Field field) {
    String strategy = switch (field.strategy()) {
      case MERGE -> "merge";
      case REPLACE -> "replace";
      case NONE -> "";
    };
    if (field.retainKeys()) {
      strategy = strategy.isEmpty() ? "retainKeys" : strategy + ",retainKeys";
    }
    if (strategy.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Strategy(strategy,
        field.mergeKey().isEmpty() ? Optional.empty() : Optional.of(field.mergeKey())));
  }

  /** The struct a property holds, directly or as the elements of its list or map. */
  private static Schema structOf(Schema property) {
    Schema current = property;
    while (current != null && (current.kind() == Schema.Kind.ARRAY || current.kind() == Schema.Kind.MAP)) {
      current = current.items();
    }
    return current;
  }
}
