package io.minicluster.registry.subresource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.apiextensions.JsonPath;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The scale subresource of a workload kind (deployments, replicasets, replicationcontrollers), as ScaleREST: reads
 * the object as an autoscaling/v1 Scale and writes a Scale's spec.replicas back through the kind's main update, so
 * its strategy (generation, validation) applies.
 */
public final class ScaleOperation {
  public static final String KIND = "Scale";
  public static final String API_VERSION = "autoscaling/v1";

  private final GenericRegistry registry;
  /** Where a custom resource keeps its replicas and selector; null for the workload kinds. */
  private final CustomResourceDefinition.ScalePaths paths;

  public ScaleOperation(GenericRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
    this.paths = null;
  }

  /** The scale subresource of a custom resource, at the paths of its definition's subresources.scale. */
  public ScaleOperation(GenericRegistry registry, CustomResourceDefinition.ScalePaths paths) {
    this.registry = requireNonNull(registry, "registry is null");
    this.paths = requireNonNull(paths, "paths is null");
  }

  /** The Scale of an object. */
  public ObjectNode get(String namespace, String name) {
    return scaleOf(registry.get(namespace, name));
  }

  private ObjectNode scaleOf(ObjectNode object) {
    return paths == null ? toScale(object) : customScale(object, paths);
  }

  /**
   * The Scale of a custom resource (the apiserver's scaleFromCustomResource): replicas at the spec and status paths
   * (0 when absent), the selector string at labelSelectorPath.
   */
  static ObjectNode customScale(ObjectNode object, CustomResourceDefinition.ScalePaths paths) {
    ObjectNode scale = toScale(object);
    JsonNode specReplicas = path(paths.specReplicasPath()).find(object);
    ((ObjectNode) scale.get("spec")).put("replicas", specReplicas == null ? 0 : specReplicas.asLong());
    ObjectNode status = scale.putObject("status");
    JsonNode statusReplicas = path(paths.statusReplicasPath()).find(object);
    status.put("replicas", statusReplicas == null ? 0 : statusReplicas.asLong());
    JsonNode selector = paths.labelSelectorPath() == null ? null : path(paths.labelSelectorPath()).find(object);
    if (selector != null && selector.isTextual() && !selector.asText().isEmpty()) {
      status.put("selector", selector.asText());
    }
    return scale;
  }

  private static JsonPath path(String path) {
    return JsonPath.parse(path).orElseThrow(() -> ApiException.internal("invalid scale path " + path));
  }

  /**
   * Read-modify-write of the Scale: the change gets the current Scale and returns the desired one (retried on
   * conflict). A desired resourceVersion other than the current one fails with 409.
   *
   * @return the Scale as stored afterwards
   * @throws ApiException 422 when the desired replicas are negative
   */
  public ObjectNode update(String namespace, String name, UnaryOperator<ObjectNode> change, WriteOptions options) {
    requireNonNull(change, "change is null");
    requireNonNull(options, "options is null");
    ObjectNode updated = registry.guaranteedUpdate(namespace, name, current -> {
      ObjectNode desired = change.apply(scaleOf(current));
      String rv = Meta.resourceVersion(desired);
      if (!GenericRegistry.unconditional(rv) && !rv.equals(Meta.resourceVersion(current))) {
        throw ApiException.modified(registry.type(), name);
      }
      JsonNode replicas = Json.at(desired, "spec", "replicas");
      long value = replicas == null || replicas.isNull() ? 0 : replicas.asLong();
      if (value < 0) {
        throw new ApiException(422, "Invalid", "Scale.autoscaling \"" + name
            + "\" is invalid: spec.replicas: Invalid value: " + value + ": must be greater than or equal to 0",
            name, "autoscaling", KIND, List.of(new ApiException.Cause("FieldValueInvalid",
                "Invalid value: " + value + ": must be greater than or equal to 0", "spec.replicas")));
      }
      if (paths == null) {
        Json.with(current, "spec").put("replicas", value);
      } else {
        path(paths.specReplicasPath()).set(current, LongNode.valueOf(value));
      }
      Meta.metadata(current).remove("resourceVersion");
      return current;
    }, options, UpdateKind.MAIN);
    return scaleOf(updated);
  }

  /** The autoscaling/v1 Scale of a workload object. */
  public static ObjectNode toScale(ObjectNode object) {
    ObjectNode scale = Json.object();
    scale.put("kind", KIND);
    scale.put("apiVersion", API_VERSION);
    ObjectNode metadata = scale.putObject("metadata");
    for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      JsonNode value = Json.at(object, "metadata", field);
      if (value != null) {
        metadata.set(field, value.deepCopy());
      }
    }
    JsonNode replicas = Json.at(object, "spec", "replicas");
    scale.putObject("spec").put("replicas", replicas == null ? 1 : replicas.asLong());
    ObjectNode status = scale.putObject("status");
    JsonNode statusReplicas = Json.at(object, "status", "replicas");
    status.put("replicas", statusReplicas == null ? 0 : statusReplicas.asLong());
    String rendered = renderSelector(Json.at(object, "spec", "selector"));
    if (!rendered.isEmpty()) {
      status.put("selector", rendered);
    }
    return scale;
  }

  /** A label selector (a LabelSelector, or an RC's plain map) in its string form, keys and values sorted. */
  private static String renderSelector(JsonNode selector) {
    if (selector == null || !selector.isObject()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    JsonNode matchLabels = selector.has("matchLabels") || selector.has("matchExpressions")
        ? selector.get("matchLabels") : selector;
    if (matchLabels != null && matchLabels.isObject()) {
      List<String> keys = new ArrayList<>();
      matchLabels.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      for (String key : keys) {
        parts.add(key + "=" + matchLabels.get(key).asText());
      }
    }
    JsonNode expressions = selector.get("matchExpressions");
    if (expressions != null && expressions.isArray()) {
      for (JsonNode expression : expressions) {
        String key = expression.path("key").asText();
        String operator = expression.path("operator").asText();
        List<String> values = new ArrayList<>();
        expression.path("values").forEach(v -> values.add(v.asText()));
        values.sort(null);
        switch (operator) {
          case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
          case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
          case "Exists" -> parts.add(key);
          case "DoesNotExist" -> parts.add("!" + key);
          default -> { }
        }
      }
    }
    return String.join(",", parts);
  }
}
