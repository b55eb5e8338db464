package io.minicluster.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.apiserver.schema.ApiDescriptors;
import io.minicluster.apiserver.schema.GroupVersionKind;
import io.minicluster.apiserver.schema.Schema;
import io.minicluster.json.Json;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@link Schema} trees as OpenAPI 3.0 {@code components.schemas}, the way Kubernetes publishes them: one
 * definition per struct named like {@code io.k8s.api.core.v1.PodSpec}, properties referring to other definitions
 * through {@code allOf: [{$ref}]}, and the apimachinery types (Quantity, IntOrString, Time, MicroTime,
 * RawExtension, FieldsV1) as their own definitions.
 */
final class ComponentSchemas {
  static final String REF_PREFIX = "#/components/schemas/";

  private static final String APIEXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";

  /** What the any-JSON apiextensions types hold (they have no client model to take a description from). */
  private static final Map<String, String> ANY_DESCRIPTIONS = Map.of(
      APIEXTENSIONS + "JSON", "JSON is any JSON value: a bool, a number, a string, an array, an object or null.",
      APIEXTENSIONS + "JSONSchemaPropsOrArray", "JSONSchemaPropsOrArray is either one JSONSchemaProps or an array of "
          + "JSONSchemaProps.",
      APIEXTENSIONS + "JSONSchemaPropsOrBool", "JSONSchemaPropsOrBool is either a JSONSchemaProps or a boolean "
          + "(true when left out).",
      APIEXTENSIONS + "JSONSchemaPropsOrStringArray", "JSONSchemaPropsOrStringArray is either a JSONSchemaProps or "
          + "an array of strings.");

  private final Descriptions descriptions;
  private final PatchStrategies patchStrategies;
  private final Map<String, ObjectNode> definitions = new TreeMap<>();
  private final Deque<Schema> pending = new ArrayDeque<>();

  /**
   * @param descriptions the documentation of definitions and their properties
   * @param patchStrategies the strategic-merge-patch strategy of properties
   */
  ComponentSchemas(Descriptions descriptions, PatchStrategies patchStrategies) {
    this.descriptions = requireNonNull(descriptions, "descriptions is null");
    this.patchStrategies = requireNonNull(patchStrategies, "patchStrategies is null");
  }

  /** The reference to a schema's definition, queueing the definition (and what it refers to) for {@link #all}. */
  ObjectNode reference(Schema schema) {
    String name = schema.definitionName();
    if (!definitions.containsKey(name)) {
      definitions.put(name, null);
      pending.add(schema);
    }
    ObjectNode ref = Json.object();
    ref.put("$ref", REF_PREFIX + name);
    return ref;
  }

  /** Every queued definition, rendered, by name. */
  Map<String, ObjectNode> all() {
    while (!pending.isEmpty()) {
      Schema schema = pending.poll();
      definitions.put(schema.definitionName(), definition(schema));
    }
    return definitions;
  }

  private ObjectNode definition(Schema schema) {
    ObjectNode node = Json.object();
    switch (schema.kind()) {
      case OBJECT -> {
        String definition = schema.definitionName();
        node.put("description", descriptions.type(definition)
            .orElse(schema.structName() + " (" + schema.goType() + ")"));
        node.put("type", "object");
        ObjectNode properties = node.putObject("properties");
        schema.properties().forEach((name, property) -> {
          ObjectNode value = property(property);
          descriptions.property(definition, name).ifPresent(text -> value.put("description", text));
          patchStrategies.of(definition, name).ifPresent(strategy -> {
            value.put("x-kubernetes-patch-strategy", strategy.strategy());
            strategy.mergeKey().ifPresent(key -> value.put("x-kubernetes-patch-merge-key", key));
          });
          properties.set(name, value);
        });
        List<String> required = descriptions.required(definition).stream()
            .filter(schema.properties()::containsKey).toList();
        if (!required.isEmpty()) {
          required.forEach(node.putArray("required")::add);
        }
        if (schema.descriptor() != null && ApiDescriptors.isKind(schema.descriptor())) {
          ArrayNode kinds = node.putArray("x-kubernetes-group-version-kind");
          for (GroupVersionKind gvk : ApiDescriptors.kindsOf(schema.descriptor())) {
            ObjectNode entry = kinds.addObject();
            entry.put("group", gvk.group());
            entry.put("kind", gvk.kind());
            entry.put("version", gvk.version());
          }
        }
      }
      case QUANTITY -> {
        node.put("description", "Quantity is a fixed-point representation of a number, e.g. \"100m\" or \"1Gi\".");
        node.putArray("oneOf").add(type("string")).add(type("number"));
      }
      case INT_OR_STRING -> {
        node.put("description", "IntOrString is a type that can hold an int32 or a string.");
        node.put("format", "int-or-string");
        node.putArray("oneOf").add(type("integer")).add(type("string"));
        node.put("x-kubernetes-int-or-string", true);
      }
      case TIME -> {
        node.put("description", "Time is a timestamp in RFC3339 form with seconds, e.g. \"2024-01-02T03:04:05Z\".");
        node.put("type", "string");
        node.put("format", "date-time");
      }
      case MICRO_TIME -> {
        node.put("description", "MicroTime is a timestamp in RFC3339 form with microseconds.");
        node.put("type", "string");
        node.put("format", "date-time");
      }
      case FREE_FORM -> {
        node.put("description", schema.goType() + ": any JSON object.");
        node.put("type", "object");
      }
      case ANY -> node.put("description", descriptions.type(schema.definitionName())
          .orElse(ANY_DESCRIPTIONS.getOrDefault(schema.definitionName(), schema.goType() + ": any JSON value.")));
      default -> throw new IllegalStateException("no definition for " + schema);
    }
    return node;
  }

  /** The inline schema of a property value. */
  ObjectNode property(Schema schema) {
    switch (schema.kind()) {
      case OBJECT, QUANTITY, INT_OR_STRING, TIME, MICRO_TIME, ANY -> {
        return wrapped(schema);
      }
      case FREE_FORM -> {
        if (schema.definitionName() != null) {
          return wrapped(schema);
        }
        ObjectNode node = type("object");
        node.put("x-kubernetes-preserve-unknown-fields", true);
        return node;
      }
      case MAP -> {
        ObjectNode node = type("object");
        node.set("additionalProperties", property(schema.items()));
        return node;
      }
      case ARRAY -> {
        ObjectNode node = type("array");
        node.set("items", property(schema.items()));
        return node;
      }
      case STRING, DURATION -> {
        return type("string");
      }
      case BOOLEAN -> {
        return type("boolean");
      }
      case INTEGER, NUMBER, BYTES -> {
        ObjectNode node = type(schema.kind() == Schema.Kind.INTEGER ? "integer"
            : schema.kind() == Schema.Kind.NUMBER ? "number" : "string");
        node.put("format", schema.format());
        return node;
      }
      default -> throw new IllegalStateException("unexpected schema " + schema);
    }
  }

  private ObjectNode wrapped(Schema schema) {
    ObjectNode node = Json.object();
    node.putArray("allOf").add(reference(schema));
    return node;
  }

  private static ObjectNode type(String type) {
    ObjectNode node = Json.object();
    node.put("type", type);
    return node;
  }
}
