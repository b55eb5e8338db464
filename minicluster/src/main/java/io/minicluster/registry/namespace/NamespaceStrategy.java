package io.minicluster.registry.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.api.validation.NameValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Namespaces: the kubernetes.io/metadata.name label, spec.finalizers [kubernetes], status.phase Active, spec and
 * status kept on update (finalize and status subresources change them), ValidateNamespace.
 */
public final class NamespaceStrategy implements Strategy {
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";
  public static final String KUBERNETES_FINALIZER = "kubernetes";
  private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

  @Override
  public ResourceType type() {
    return ResourceTypes.NAMESPACES;
  }

  @Override
  public NameValidator nameValidator() {
    return NameValidator.DNS1123_LABEL;
  }

  @Override
  public void applyDefaults(ObjectNode namespace) {
    String name = Json.text(Json.get(namespace, "metadata"), "name");
    if (!name.isEmpty()) {
      Json.with(Json.with(namespace, "metadata"), "labels").put(NAME_LABEL, name);
    }
  }

  @Override
  public void prepareForCreate(ObjectNode namespace) {
    ObjectNode spec = Json.with(namespace, "spec");
    List<String> finalizers = Json.strings(spec, "finalizers");
    if (!finalizers.contains(KUBERNETES_FINALIZER)) {
      if (spec.get("finalizers") instanceof ArrayNode array) {
        array.add(KUBERNETES_FINALIZER);
      } else {
        spec.putArray("finalizers").add(KUBERNETES_FINALIZER);
      }
    }
    namespace.putObject("status").put("phase", "Active");
  }

  @Override
  public void prepareForUpdate(ObjectNode namespace, ObjectNode old) {
    for (String field : List.of("spec", "status")) {
      JsonNode value = old.get(field);
      if (value == null) {
        namespace.remove(field);
      } else {
        namespace.set(field, value.deepCopy());
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode namespace) {
    List<FieldError> errors = new ArrayList<>();
    for (String finalizer : Json.strings(Json.get(namespace, "spec"), "finalizers")) {
      errors.addAll(validateFinalizerName(finalizer, "spec.finalizers"));
    }
    return errors;
  }

  /** validateFinalizerName: a qualified name, and either standard or domain-prefixed. */
  public static List<FieldError> validateFinalizerName(String finalizer, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (String message : Formats.qualifiedName(finalizer)) {
      errors.add(FieldError.invalid(path, finalizer, message));
    }
    if (errors.isEmpty() && !finalizer.contains("/") && !STANDARD_FINALIZERS.contains(finalizer)) {
      errors.add(FieldError.invalid(path, finalizer,
          "name is neither a standard finalizer name nor is it fully qualified"));
    }
    return errors;
  }

  @Override
  public boolean hasGeneration() {
    return false;
  }
}
