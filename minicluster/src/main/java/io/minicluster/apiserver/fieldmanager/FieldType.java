package io.minicluster.apiserver.fieldmanager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.apiserver.patch.PatchSchema;
import io.minicluster.apiserver.schema.Schema;
import io.minicluster.apiserver.schema.Schemas;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How server-side apply treats a value, as the structured-merge-diff schema of the apiserver's OpenAPI models says:
 * structs merge field by field, maps key by key, associative lists ({@code x-kubernetes-list-type: map}) item by
 * item by their {@code x-kubernetes-list-map-keys}, sets item by value, atomic values as a whole.
 *
 * <p>The list types come from the strategic-merge-patch tags the server already knows ({@link PatchSchema}): a
 * {@code patchStrategy: merge} list with a merge key is an associative list keyed by it (by more keys where the API
 * declares more list-map-keys than its patch merge key: container and service ports by port and protocol), a merge
 * list of scalars is a set, every other list is atomic. Values of kinds without a schema are deduced as the
 * apiserver does for unstructured data: objects are maps, lists are atomic.
 */
public final class FieldType {

  /** The shapes of values. */
  public enum Shape { STRUCT, MAP, ASSOCIATIVE_LIST, SET, ATOMIC, SCALAR }

  /** {@code +structType=atomic} types: selectors and references are replaced as a whole. */
  private static final Set<String> ATOMIC_STRUCTS = Set.of("LabelSelector", "LocalObjectReference",
      "ObjectReference", "TypedLocalObjectReference", "ConfigMapKeySelector", "SecretKeySelector",
      "ObjectFieldSelector", "ResourceFieldSelector", "NodeSelector", "NodeSelectorTerm", "TopologySelectorTerm");

  /** {@code +mapType=atomic} maps (struct.field). */
  private static final Set<String> ATOMIC_MAPS = Set.of("ServiceSpec.selector", "ReplicationControllerSpec.selector");

  /** Associative lists whose list-map-keys are more than their patch merge key (struct.field → keys). */
  private static final Map<String, List<String>> MAP_KEYS = Map.of(
      "Container.ports", List.of("containerPort", "protocol"),
      "ServiceSpec.ports", List.of("port", "protocol"),
      "PodSpec.topologySpreadConstraints", List.of("topologyKey", "whenUnsatisfiable"));

  /**
   * Associative lists ({@code +listType=map}) without a patch strategy (struct.field → keys): strategic merge patch
   * replaces them, server-side apply merges their items by key.
   */
  private static final Map<String, List<String>> UNPATCHED_MAP_LISTS = Map.of(
      "CustomResourceDefinitionStatus.conditions", List.of("type"),
      "JSONSchemaProps.x-kubernetes-validations", List.of("rule"));

  /** Values of key fields the API defaults when the item leaves them out (x-kubernetes-list-map-keys defaults). */
  static final Map<String, String> KEY_DEFAULTS = Map.of("protocol", "TCP");

  private static final PatchSchema.Field UNTAGGED = PatchSchema.ANY.field("");
  private static final FieldType DEDUCED_SCALAR = new FieldType(Shape.SCALAR, null, PatchSchema.ANY, List.of(), true);
  private static final FieldType DEDUCED_ATOMIC = new FieldType(Shape.ATOMIC, null, PatchSchema.ANY, List.of(), true);
  private static final FieldType DEDUCED_MAP = new FieldType(Shape.MAP, null, PatchSchema.ANY, List.of(), true);

  private final Shape shape;
  private final Schema schema;
  private final PatchSchema patch;
  private final List<String> keys;
  private final boolean deduced;

  private FieldType(Shape shape, Schema schema, PatchSchema patch, List<String> keys, boolean deduced) {
    this.shape = shape;
    this.schema = schema;
    this.patch = patch;
    this.keys = keys;
    this.deduced = deduced;
  }

  /** The type of a kind's objects; deduced when the kind has no schema. */
  public static FieldType forKind(String apiVersion, String kind) {
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    return Schemas.forKind(apiVersion, kind)
        .map(schema -> of(schema, PatchSchema.forKind(apiVersion, kind), UNTAGGED, ""))
        .orElse(DEDUCED_MAP);
  }

  /** A value without a schema: objects are maps, lists atomic, the rest scalars. */
  public static FieldType deduced() {
    return DEDUCED_MAP;
  }

  /**
   * The type of a value of this schema.
   *
   * @param patch the patch schema of the value (of its items for lists)
   * @param tag the patch tag of the field holding the value
   * @param where "Struct.field" of that field, "" at the root and for items
   */
  private static FieldType of(Schema schema, PatchSchema patch, PatchSchema.Field tag, String where) {
    return switch (schema.kind()) {
      case OBJECT -> ATOMIC_STRUCTS.contains(schema.structName())
          ? new FieldType(Shape.ATOMIC, schema, PatchSchema.ANY, List.of(), false)
          : new FieldType(Shape.STRUCT, schema, patch, List.of(), false);
      case MAP -> new FieldType(ATOMIC_MAPS.contains(where) ? Shape.ATOMIC : Shape.MAP, schema, PatchSchema.ANY,
          List.of(), false);
      case ARRAY -> {
        if (tag.strategy() != PatchSchema.Strategy.MERGE) {
          List<String> keys = UNPATCHED_MAP_LISTS.get(where);
          yield keys == null ? new FieldType(Shape.ATOMIC, schema, PatchSchema.ANY, List.of(), false)
              : new FieldType(Shape.ASSOCIATIVE_LIST, schema, patch, keys, false);
        }
        if (tag.mergeKey().isEmpty()) {
          yield new FieldType(Shape.SET, schema, PatchSchema.ANY, List.of(), false);
        }
        yield new FieldType(Shape.ASSOCIATIVE_LIST, schema, patch,
            MAP_KEYS.getOrDefault(where, List.of(tag.mergeKey())), false);
      }
      case FREE_FORM, ANY -> DEDUCED_ATOMIC;
      default -> DEDUCED_SCALAR;
    };
  }

  public Shape shape() {
    return shape;
  }

  /** The key fields of an associative list. */
  public List<String> keys() {
    return keys;
  }

  /**
   * The type of a struct's field or a map's values; null for a field a struct does not declare (its value is
   * deduced by the caller).
   */
  public FieldType field(String name) {
    if (deduced) {
      return DEDUCED_MAP;
    }
    if (shape == Shape.MAP) {
      return schema.items() == null ? DEDUCED_MAP : of(schema.items(), PatchSchema.ANY, UNTAGGED, "");
    }
    Schema property = schema == null ? null : schema.properties().get(name);
    if (property == null) {
      return null;
    }
    PatchSchema.Field tag = patch.field(name);
    return of(property, tag.type(), tag, schema.structName() + "." + name);
  }

  /** The type of a list's items. */
  public FieldType element() {
    if (deduced || schema == null || schema.items() == null) {
      return DEDUCED_MAP;
    }
    return of(schema.items(), patch, UNTAGGED, "");
  }

  /** Whether this is a deduced type (no schema). */
  public boolean isDeduced() {
    return deduced;
  }

  /** The type of a deduced value: objects are maps, lists atomic, the rest scalars. */
  static FieldType deducedFor(boolean object, boolean array) {
    return object ? DEDUCED_MAP : array ? DEDUCED_ATOMIC : DEDUCED_SCALAR;
  }

  /** Struct fields that Go's zero value of a kind still serializes (non-pointer structs): metadata, spec, ... */
  private static final Set<String> ZERO_STRUCTS = Set.of("metadata", "spec", "status", "template", "strategy",
      "updateStrategy", "jobTemplate");

  /**
   * The JSON of the type's zero value as the apiserver's empty object of a kind serializes (the structs that are
   * not pointers are there, empty): what a create compares the new object against.
   */
  public ObjectNode zeroValue() {
    ObjectNode zero = Json.object();
    if (shape != Shape.STRUCT || deduced) {
      return zero;
    }
    if ("PodSpec".equals(schema.structName())) {
      // the one list of a kind's zero value that is serialized as null (no omitempty)
      zero.putNull("containers");
    }
    for (String name : ZERO_STRUCTS) {
      Schema property = schema.properties().get(name);
      boolean pointer = name.equals("template") && "ReplicationControllerSpec".equals(schema.structName());
      if (property != null && property.kind() == Schema.Kind.OBJECT && !pointer) {
        zero.set(name, field(name).zeroValue());
      }
    }
    return zero;
  }
}
