package io.minicluster.registry.validation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.validation.Formats;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * metadata validation of every object, as k8s.io/apimachinery/pkg/api/validation/objectmeta.go, plus the shared
 * label, annotation and label selector checks of .../apis/meta/v1/validation.
 */
public final class ObjectMetaValidation {
  /** apimachinery's FieldImmutableErrorMsg. */
  public static final String IMMUTABLE = "field is immutable";
  /** TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
  public static final String ORPHAN_FINALIZER = "orphan";
  public static final String FOREGROUND_FINALIZER = "foregroundDeletion";

  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z 'UTC'");

  private static final int MAX_FIELD_MANAGER_LENGTH = 128;
  private static final int MAX_SUBRESOURCE_LENGTH = 256;

  private ObjectMetaValidation() {}

  /**
   * Validates metadata of a new object. A missing name is accepted when generateName is set (the registry generates
   * the name after this check); both are validated with the kind's name rule.
   */
  public static List<FieldError> validate(ObjectNode object, boolean namespaced, NameValidator nameValidator) {
    requireNonNull(object, "object is null");
    requireNonNull(nameValidator, "nameValidator is null");
    List<FieldError> errors = new ArrayList<>();
    JsonNode metadata = Json.get(object, "metadata");
    String generateName = Json.text(metadata, "generateName");
    String name = Json.text(metadata, "name");
    if (!generateName.isEmpty()) {
      for (String message : nameValidator.validate(generateName, true)) {
        errors.add(FieldError.invalid("metadata.generateName", generateName, message));
      }
    }
    if (name.isEmpty()) {
      if (generateName.isEmpty()) {
        errors.add(FieldError.required("metadata.name", "name or generateName is required"));
      }
    } else {
      for (String message : nameValidator.validate(name, false)) {
        errors.add(FieldError.invalid("metadata.name", name, message));
      }
    }
    String namespace = Json.text(metadata, "namespace");
    if (namespaced) {
      if (namespace.isEmpty()) {
        errors.add(FieldError.required("metadata.namespace", ""));
      } else {
        for (String message : NameValidator.DNS1123_LABEL.validate(namespace, false)) {
          errors.add(FieldError.invalid("metadata.namespace", namespace, message));
        }
      }
    } else if (!namespace.isEmpty()) {
      errors.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
    }
    Long generation = Json.numberOrNull(metadata, "generation");
    if (generation != null && generation < 0) {
      errors.add(FieldError.invalid("metadata.generation", generation, "must be greater than or equal to 0"));
    }
    errors.addAll(common(metadata));
    return errors;
  }

  /** Validates metadata of an update: immutable identity fields, finalizers of deleted objects, then as on create. */
  public static List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
    requireNonNull(object, "object is null");
    requireNonNull(old, "old is null");
    List<FieldError> errors = new ArrayList<>();
    JsonNode metadata = Json.get(object, "metadata");
    JsonNode oldMetadata = Json.get(old, "metadata");
    if (Json.has(oldMetadata, "deletionTimestamp")) {
      Set<String> added = new TreeSet<>(Json.strings(metadata, "finalizers"));
      added.removeAll(Json.strings(oldMetadata, "finalizers"));
      if (!added.isEmpty()) {
        errors.add(FieldError.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being "
            + "deleted, found new finalizers " + GoValue.stringSlice(new ArrayList<>(added))));
      }
    }
    long generation = Json.number(metadata, "generation", 0);
    if (generation < Json.number(oldMetadata, "generation", 0)) {
      errors.add(FieldError.invalid("metadata.generation", generation, "must not be decremented"));
    }
    for (String field : List.of("name", "namespace", "uid")) {
      String value = Json.text(metadata, field);
      if (!value.equals(Json.text(oldMetadata, field))) {
        errors.add(FieldError.invalid("metadata." + field, value, IMMUTABLE));
      }
    }
    for (String field : List.of("creationTimestamp", "deletionTimestamp")) {
      String value = Json.text(metadata, field);
      if (!sameInstant(value, Json.text(oldMetadata, field))) {
        errors.add(FieldError.invalid("metadata." + field, goTime(value), IMMUTABLE));
      }
    }
    Long grace = Json.numberOrNull(metadata, "deletionGracePeriodSeconds");
    if (!Objects.equals(grace, Json.numberOrNull(oldMetadata, "deletionGracePeriodSeconds"))) {
      errors.add(FieldError.invalid("metadata.deletionGracePeriodSeconds",
          grace == null ? new GoValue("null") : grace, IMMUTABLE));
    }
    errors.addAll(common(metadata));
    return errors;
  }

  private static List<FieldError> common(JsonNode metadata) {
    List<FieldError> errors = new ArrayList<>(validateManagedFields(Json.get(metadata, "managedFields")));
    errors.addAll(validateLabels(Json.get(metadata, "labels"), "metadata.labels"));
    errors.addAll(validateAnnotations(Json.get(metadata, "annotations"), "metadata.annotations"));
    errors.addAll(validateOwnerReferences(metadata));
    errors.addAll(validateFinalizers(Json.strings(metadata, "finalizers"), "metadata.finalizers"));
    return errors;
  }

  private static boolean sameInstant(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return OffsetDateTime.parse(a).toInstant().equals(OffsetDateTime.parse(b).toInstant());
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** A timestamp as Go prints metav1.Time (time.Time.String()), "null" when unset. */
  static GoValue goTime(String value) {
    if (value.isEmpty()) {
      return new GoValue("null");
    }
    try {
      return new GoValue(OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC).format(GO_TIME));
    } catch (DateTimeParseException e) {
      return new GoValue(value);
    }
  }

  /** ValidateLabels: keys are qualified names, values label values; errors are reported on the map's path. */
  public static List<FieldError> validateLabels(JsonNode labels, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (labels == null || !labels.isObject()) {
      return errors;
    }
    labels.fields().forEachRemaining(entry -> {
      errors.addAll(validateQualifiedName(entry.getKey(), path));
      String value = entry.getValue().isNull() ? "" : entry.getValue().asText();
      for (String message : Formats.labelValue(value)) {
        errors.add(FieldError.invalid(path, value, message));
      }
    });
    return errors;
  }

  /** ValidateQualifiedName / ValidateLabelName. */
  public static List<FieldError> validateQualifiedName(String value, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (String message : Formats.qualifiedName(value)) {
      errors.add(FieldError.invalid(path, value, message));
    }
    return errors;
  }

  /** ValidateAnnotations: keys are qualified names ignoring case; total size at most 256 KiB. */
  public static List<FieldError> validateAnnotations(JsonNode annotations, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (annotations == null || !annotations.isObject()) {
      return errors;
    }
    long total = 0;
    Iterator<Map.Entry<String, JsonNode>> fields = annotations.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      String key = entry.getKey();
      for (String message : Formats.qualifiedName(key.toLowerCase(Locale.ROOT))) {
        errors.add(FieldError.invalid(path, key, message));
      }
      total += utf8Length(key) + utf8Length(entry.getValue().isNull() ? "" : entry.getValue().asText());
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errors.add(FieldError.tooLong(path, "", TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    return errors;
  }

  private static List<FieldError> validateOwnerReferences(JsonNode metadata) {
    List<FieldError> errors = new ArrayList<>();
    String path = "metadata.ownerReferences";
    String firstController = "";
    for (JsonNode reference : Json.elements(metadata, "ownerReferences")) {
      String apiVersion = Json.text(reference, "apiVersion");
      String[] parts = apiVersion.split("/", -1);
      String version = parts.length == 1 ? parts[0] : parts.length == 2 ? parts[1] : "";
      if (version.isEmpty()) {
        errors.add(FieldError.invalid(path + ".apiVersion", apiVersion, "version must not be empty"));
      }
      String kind = Json.text(reference, "kind");
      if (kind.isEmpty()) {
        errors.add(FieldError.invalid(path + ".kind", kind, "must not be empty"));
      }
      String name = Json.text(reference, "name");
      if (name.isEmpty()) {
        errors.add(FieldError.invalid(path + ".name", name, "must not be empty"));
      }
      if (Json.text(reference, "uid").isEmpty()) {
        errors.add(FieldError.invalid(path + ".uid", "", "must not be empty"));
      }
      if (apiVersion.equals("v1") && kind.equals("Event")) {
        errors.add(FieldError.invalid(path, new GoValue(reference.toString()),
            "/v1, Kind=Event is disallowed from being an owner"));
      }
      if (Json.bool(reference, "controller")) {
        String current = kind + "/" + name;
        if (!firstController.isEmpty()) {
          errors.add(FieldError.invalid(path, new GoValue(Json.get(metadata, "ownerReferences").toString()),
              "Only one reference can have Controller set to true. Found \"true\" in references for "
                  + firstController + " and " + current));
        } else {
          firstController = current;
        }
      }
    }
    return errors;
  }

  /** ValidateFinalizers: qualified names; "orphan" and "foregroundDeletion" exclude each other. */
  public static List<FieldError> validateFinalizers(List<String> finalizers, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (String finalizer : finalizers) {
      errors.addAll(validateQualifiedName(finalizer, path));
    }
    if (finalizers.contains(ORPHAN_FINALIZER) && finalizers.contains(FOREGROUND_FINALIZER)) {
      errors.add(FieldError.invalid(path, GoValue.stringSlice(finalizers),
          "finalizer orphan and foregroundDeletion cannot be both set"));
    }
    return errors;
  }

  /** ValidateLabelSelector (strict: label values in expressions are checked). Null selector is valid. */
  public static List<FieldError> validateLabelSelector(JsonNode selector, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (selector == null || !selector.isObject()) {
      return errors;
    }
    errors.addAll(validateLabels(Json.get(selector, "matchLabels"), path + ".matchLabels"));
    List<JsonNode> expressions = Json.elements(selector, "matchExpressions");
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode expression = expressions.get(i);
      String at = path + ".matchExpressions[" + i + "]";
      String operator = Json.text(expression, "operator");
      List<String> values = Json.strings(expression, "values");
      switch (operator) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            errors.add(FieldError.required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            errors.add(FieldError.forbidden(at + ".values",
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default -> errors.add(FieldError.invalid(at + ".operator", operator, "not a valid selector operator"));
      }
      errors.addAll(validateQualifiedName(Json.text(expression, "key"), at + ".key"));
      for (int j = 0; j < values.size(); j++) {
        for (String message : Formats.labelValue(values.get(j))) {
          errors.add(FieldError.invalid(at + ".values[" + j + "]", values.get(j), message));
        }
      }
    }
    return errors;
  }

  /** Whether a metav1.LabelSelector matches a label set (an empty selector matches everything). */
  public static boolean selectorMatches(JsonNode selector, JsonNode labels) {
    if (selector == null || !selector.isObject()) {
      return false;
    }
    for (String key : Json.keys(selector, "matchLabels")) {
      String wanted = selector.get("matchLabels").get(key).asText();
      if (!Json.has(labels, key) || !Json.text(labels, key).equals(wanted)) {
        return false;
      }
    }
    for (JsonNode expression : Json.elements(selector, "matchExpressions")) {
      String key = Json.text(expression, "key");
      Set<String> values = new HashSet<>(Json.strings(expression, "values"));
      boolean present = Json.has(labels, key);
      String value = Json.text(labels, key);
      boolean ok = switch (Json.text(expression, "operator")) {
        case "In" -> present && values.contains(value);
        case "NotIn" -> !present || !values.contains(value);
        case "Exists" -> present;
        case "DoesNotExist" -> !present;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether a selector has no requirement at all. */
  public static boolean selectorEmpty(JsonNode selector) {
    return Json.keys(selector, "matchLabels").isEmpty() && Json.elements(selector, "matchExpressions").isEmpty();
  }

  /** ValidateNonnegativeField. */
  public static List<FieldError> nonNegative(JsonNode node, String field, String path) {
    Long value = Json.numberOrNull(node, field);
    if (value != null && value < 0) {
      return List.of(FieldError.invalid(path, value, "must be greater than or equal to 0"));
    }
    return List.of();
  }

  private static long utf8Length(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  /** ValidateManagedFields: each entry's operation, fieldsType, manager and subresource. */
  static List<FieldError> validateManagedFields(JsonNode managedFields) {
    List<FieldError> errors = new ArrayList<>();
    if (managedFields == null || !managedFields.isArray()) {
      return errors;
    }
    for (int i = 0; i < managedFields.size(); i++) {
      JsonNode entry = managedFields.get(i);
      String path = "metadata.managedFields[" + i + "]";
      String operation = Json.text(entry, "operation");
      if (!operation.equals("Apply") && !operation.equals("Update")) {
        errors.add(FieldError.invalid(path + ".operation", operation, "must be `Apply` or `Update`"));
      }
      String fieldsType = Json.text(entry, "fieldsType");
      if (!fieldsType.isEmpty() && !fieldsType.equals("FieldsV1")) {
        errors.add(FieldError.invalid(path + ".fieldsType", fieldsType, "must be `FieldsV1`"));
      }
      String manager = Json.text(entry, "manager");
      if (manager.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_MANAGER_LENGTH) {
        errors.add(FieldError.tooLong(path + ".manager", manager, MAX_FIELD_MANAGER_LENGTH));
      }
      String subresource = Json.text(entry, "subresource");
      if (subresource.getBytes(StandardCharsets.UTF_8).length > MAX_SUBRESOURCE_LENGTH) {
        errors.add(FieldError.tooLong(path + ".subresource", subresource, MAX_SUBRESOURCE_LENGTH));
      }
    }
    return errors;
  }
}
