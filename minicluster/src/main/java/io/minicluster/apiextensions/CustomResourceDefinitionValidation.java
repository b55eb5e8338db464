package io.minicluster.apiextensions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.validation.Formats;
import io.minicluster.api.validation.WebhookClientConfigValidation;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * ValidateCustomResourceDefinition of apiextensions-apiserver (pkg/apis/apiextensions/validation): the name, group,
 * scope, names, versions (exactly one storage version), subresources and printer columns of a definition, with the
 * apiserver's field paths and messages; each version's schema is checked by the {@link SchemaCheck} the wiring gives
 * (structural schemas).
 */
public final class CustomResourceDefinitionValidation {
  /** Checks one version's openAPIV3Schema (structural-schema rules); returns its field errors. */
  public interface SchemaCheck {
    /** No schema rules beyond presence. */
    SchemaCheck NONE = (schema, path) -> List.of();

    List<FieldError> check(JsonNode openAPIV3Schema, String fieldPath);
  }

  private static final List<String> SCOPES = List.of("Cluster", "Namespaced");
  private static final List<String> COLUMN_TYPES = List.of("integer", "number", "string", "boolean", "date");
  private static final List<String> COLUMN_FORMATS = List.of("int32", "int64", "float", "double", "byte", "date",
      "date-time", "password");
  private static final List<String> CONVERSION_STRATEGIES = List.of("None", "Webhook");

  private final SchemaCheck schemas;

  public CustomResourceDefinitionValidation(SchemaCheck schemas) {
    this.schemas = requireNonNull(schemas, "schemas is null");
  }

  /** The errors of a new definition (its metadata aside). */
  public List<FieldError> validate(ObjectNode crd) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = crd.path("spec");
    String group = Json.text(spec, "group");
    String plural = Json.text(spec.path("names"), "plural");
    String name = Json.text(crd.path("metadata"), "name");
    if (!name.equals(plural + "." + group)) {
      errors.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
    }
    if (group.isEmpty()) {
      errors.add(FieldError.required("spec.group", ""));
    } else {
      List<String> problems = Formats.dns1123Subdomain(group);
      if (!problems.isEmpty()) {
        errors.add(FieldError.invalid("spec.group", group, String.join(",", problems)));
      } else if (!group.contains(".")) {
        errors.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
      }
    }
    String scope = Json.text(spec, "scope");
    if (scope.isEmpty()) {
      errors.add(FieldError.required("spec.scope", ""));
    } else if (!SCOPES.contains(scope)) {
      errors.add(FieldError.notSupported("spec.scope", scope, SCOPES));
    }
    names(spec.path("names"), "spec.names", errors);
    versions(spec, errors);
    conversion(spec, errors);
    return errors;
  }

  /**
   * validateCustomResourceConversion, with the internal type's field names as upstream's messages show them
   * (webhookClientConfig, conversionReviewVersions).
   */
  private static void conversion(JsonNode spec, List<FieldError> errors) {
    JsonNode conversion = spec.path("conversion");
    String strategy = Json.text(conversion, "strategy");
    if (!strategy.isEmpty() && !CONVERSION_STRATEGIES.contains(strategy)) {
      errors.add(FieldError.notSupported("spec.conversion.strategy", strategy, CONVERSION_STRATEGIES));
    }
    boolean webhook = strategy.equals("Webhook");
    if (webhook && Json.bool(spec, "preserveUnknownFields")) {
      errors.add(FieldError.invalid("spec.conversion.strategy", strategy,
          "must be None if spec.preserveUnknownFields is true"));
    }
    JsonNode clientConfig = Json.at(conversion, "webhook", "clientConfig");
    boolean hasClientConfig = clientConfig != null && !clientConfig.isNull();
    List<String> reviewVersions = Json.strings(conversion.path("webhook"), "conversionReviewVersions");
    if (webhook) {
      if (!hasClientConfig) {
        errors.add(FieldError.required("spec.conversion.webhookClientConfig",
            "required when strategy is set to Webhook"));
      } else {
        errors.addAll(WebhookClientConfigValidation.clientConfig(clientConfig, "spec.conversion.webhookClientConfig"));
      }
      errors.addAll(WebhookClientConfigValidation.reviewVersions(reviewVersions,
          "spec.conversion.conversionReviewVersions", ""));
    } else {
      if (hasClientConfig) {
        errors.add(FieldError.forbidden("spec.conversion.webhookClientConfig",
            "should not be set when strategy is not set to Webhook"));
      }
      if (!reviewVersions.isEmpty()) {
        errors.add(FieldError.forbidden("spec.conversion.conversionReviewVersions",
            "should not be set when strategy is not set to Webhook"));
      }
    }
  }

  /** The errors of an update: {@link #validate} and the fields that may not change. */
  public List<FieldError> validateUpdate(ObjectNode crd, ObjectNode old) {
    List<FieldError> errors = validate(crd);
    immutable(crd, old, "spec.group", "spec", "group").ifPresent(errors::add);
    immutable(crd, old, "spec.names.plural", "spec", "names", "plural").ifPresent(errors::add);
    if (CustomResourceDefinition.of(old).established()) {
      immutable(crd, old, "spec.scope", "spec", "scope").ifPresent(errors::add);
      immutable(crd, old, "spec.names.kind", "spec", "names", "kind").ifPresent(errors::add);
    }
    return errors;
  }

  private static Optional<FieldError> immutable(JsonNode crd, JsonNode old, String field, String... path) {
    String value = Objects.requireNonNullElse(Json.textOrNull(crd, path), "");
    String oldValue = Objects.requireNonNullElse(Json.textOrNull(old, path), "");
    return value.equals(oldValue) ? Optional.empty()
        : Optional.of(FieldError.invalid(field, value, "field is immutable"));
  }

  private static void names(JsonNode names, String path, List<FieldError> errors) {
    String plural = Json.text(names, "plural");
    if (plural.isEmpty()) {
      errors.add(FieldError.required(path + ".plural", ""));
    } else {
      dns1035(plural, path + ".plural", "", errors);
    }
    String singular = Json.text(names, "singular");
    if (!singular.isEmpty()) {
      dns1035(singular, path + ".singular", "", errors);
    }
    String kind = Json.text(names, "kind");
    if (kind.isEmpty()) {
      errors.add(FieldError.required(path + ".kind", ""));
    } else {
      dns1035(kind, path + ".kind", "may have mixed case, but should otherwise match: ", errors);
    }
    String listKind = Json.text(names, "listKind");
    if (listKind.isEmpty()) {
      errors.add(FieldError.required(path + ".listKind", ""));
    } else {
      dns1035(listKind, path + ".listKind", "may have mixed case, but should otherwise match: ", errors);
      if (listKind.equals(kind)) {
        errors.add(FieldError.invalid(path + ".listKind", listKind, "kind and listKind may not be the same"));
      }
    }
    List<String> shortNames = Json.strings(names, "shortNames");
    for (int i = 0; i < shortNames.size(); i++) {
      dns1035(shortNames.get(i), path + ".shortNames[" + i + "]", "", errors);
    }
    List<String> categories = Json.strings(names, "categories");
    for (int i = 0; i < categories.size(); i++) {
      dns1035(categories.get(i), path + ".categories[" + i + "]", "", errors);
    }
  }

  /** DNS-1035 label rules; kinds (with a prefix) may have mixed case and are checked in lower case. */
  private static void dns1035(String value, String field, String prefix, List<FieldError> errors) {
    List<String> problems = Formats.dns1035Label(prefix.isEmpty() ? value : value.toLowerCase(Locale.ROOT));
    if (!problems.isEmpty()) {
      errors.add(FieldError.invalid(field, value, prefix + String.join(",", problems)));
    }
  }

  private void versions(JsonNode spec, List<FieldError> errors) {
    List<JsonNode> versions = Json.elements(spec, "versions");
    if (versions.isEmpty()) {
      errors.add(FieldError.required("spec.versions", "must have exactly one version marked as storage version"));
      return;
    }
    int storage = 0;
    boolean served = false;
    Set<String> seen = new HashSet<>();
    boolean unique = true;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode version = versions.get(i);
      String path = "spec.versions[" + i + "]";
      String name = Json.text(version, "name");
      if (name.isEmpty()) {
        errors.add(FieldError.required(path + ".name", ""));
      } else {
        dns1035(name, path + ".name", "", errors);
      }
      unique &= seen.add(name);
      if (Json.bool(version, "storage")) {
        storage++;
      }
      served |= Json.bool(version, "served");
      JsonNode schema = Json.at(version, "schema", "openAPIV3Schema");
      if (schema == null || schema.isNull()) {
        errors.add(FieldError.required(path + ".schema.openAPIV3Schema", "schemas are required"));
      } else {
        errors.addAll(schemas.check(schema, path + ".schema.openAPIV3Schema"));
      }
      subresources(version.path("subresources"), path + ".subresources", errors);
      List<JsonNode> columns = Json.elements(version, "additionalPrinterColumns");
      for (int c = 0; c < columns.size(); c++) {
        column(columns.get(c), path + ".additionalPrinterColumns[" + c + "]", errors);
      }
    }
    if (!unique) {
      errors.add(FieldError.invalid("spec.versions", versionNames(versions), "must contain unique version names"));
    }
    if (storage != 1) {
      errors.add(FieldError.invalid("spec.versions", versionNames(versions),
          "must have exactly one version marked as storage version"));
    }
    if (!served) {
      errors.add(FieldError.invalid("spec.versions", versionNames(versions),
          "must have at least one served version"));
    }
  }

  private static String versionNames(List<JsonNode> versions) {
    return versions.stream().map(v -> Json.text(v, "name")).toList().toString();
  }

  private static void subresources(JsonNode subresources, String path, List<FieldError> errors) {
    JsonNode scale = subresources.get("scale");
    if (scale == null || !scale.isObject()) {
      return;
    }
    String spec = Json.text(scale, "specReplicasPath");
    if (spec.isEmpty()) {
      errors.add(FieldError.required(path + ".scale.specReplicasPath", ""));
    } else if (!spec.startsWith(".spec.")) {
      errors.add(FieldError.invalid(path + ".scale.specReplicasPath", spec, "should be a json path under .spec"));
    }
    String status = Json.text(scale, "statusReplicasPath");
    if (status.isEmpty()) {
      errors.add(FieldError.required(path + ".scale.statusReplicasPath", ""));
    } else if (!status.startsWith(".status.")) {
      errors.add(FieldError.invalid(path + ".scale.statusReplicasPath", status,
          "should be a json path under .status"));
    }
    String selector = Json.textOrNull(scale, "labelSelectorPath");
    if (selector != null && !selector.startsWith(".spec.") && !selector.startsWith(".status.")) {
      errors.add(FieldError.invalid(path + ".scale.labelSelectorPath", selector,
          "should be a json path under either .spec or .status"));
    }
  }

  private static void column(JsonNode column, String path, List<FieldError> errors) {
    if (Json.text(column, "name").isEmpty()) {
      errors.add(FieldError.required(path + ".name", ""));
    }
    String type = Json.text(column, "type");
    if (type.isEmpty()) {
      errors.add(FieldError.required(path + ".type", ""));
    } else if (!COLUMN_TYPES.contains(type)) {
      errors.add(FieldError.notSupported(path + ".type", type, COLUMN_TYPES));
    }
    String format = Json.text(column, "format");
    if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
      errors.add(FieldError.notSupported(path + ".format", format, COLUMN_FORMATS));
    }
    if (Json.number(column, "priority", 0) < 0) {
      errors.add(FieldError.invalid(path + ".priority", Json.number(column, "priority", 0),
          "must be greater than or equal to 0"));
    }
    String jsonPath = Json.text(column, "jsonPath");
    if (jsonPath.isEmpty()) {
      errors.add(FieldError.required(path + ".jsonPath", ""));
    } else if (JsonPath.parse(jsonPath).isEmpty()) {
      errors.add(FieldError.invalid(path + ".jsonPath", jsonPath, "must be a simple json path"));
    }
  }
}
