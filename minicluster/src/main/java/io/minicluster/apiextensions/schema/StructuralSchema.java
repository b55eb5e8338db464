package io.minicluster.apiextensions.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * A CustomResourceDefinition version's structural schema (apiextensions-apiserver's pkg/apiserver/schema): the
 * checked {@code openAPIV3Schema} and what the apiserver does with it for custom resources: validation, defaulting,
 * pruning of unknown fields, and the schema it publishes in OpenAPI. Immutable; safe to share between threads.
 */
public final class StructuralSchema {
  private static final EmbeddedMetadataValidator NO_METADATA_CHECKS = (metadata, path) -> List.of();

  private final ObjectNode schema;
  private final ValueValidator validator = new ValueValidator();

  private StructuralSchema(ObjectNode schema) {
    this.schema = schema;
  }

  /**
   * Checks {@code openAPIV3Schema} as the apiserver checks a CRD's schema: structural (every field typed, value
   * validations only restrict what is specified, metadata restricted to name and generateName...) and valid for the
   * CRD API. {@code path} is where the schema is in the CRD, e.g. {@code spec.versions[0].schema.openAPIV3Schema}:
   * the errors' field paths start there. x-kubernetes-validations (CEL rules) are rejected: minicluster does not
   * evaluate them.
   */
  public static Parsed parse(JsonNode openAPIV3Schema, String path) {
    requireNonNull(openAPIV3Schema, "openAPIV3Schema is null");
    requireNonNull(path, "path is null");
    if (!openAPIV3Schema.isObject()) {
      return new Parsed(null, List.of(FieldError.invalid(path, openAPIV3Schema, "must be an object")));
    }
    List<FieldError> errors = SchemaChecks.check(openAPIV3Schema, path);
    if (!errors.isEmpty()) {
      return new Parsed(null, errors);
    }
    return new Parsed(new StructuralSchema(((ObjectNode) openAPIV3Schema).deepCopy()), List.of());
  }

  /** The outcome of {@link #parse}: the schema, or the field errors that make it invalid (never both). */
  public record Parsed(StructuralSchema schema, List<FieldError> errors) {
    public Parsed {
      errors = List.copyOf(errors);
      if ((schema == null) == errors.isEmpty()) {
        throw new IllegalArgumentException("either a schema or errors");
      }
    }

    public boolean valid() {
      return schema != null;
    }
  }

  /**
   * The field errors of a custom resource (the whole object, as decoded JSON) against the schema, as the apiserver
   * reports them in its 422 answer: {@code spec.replicas: Invalid value: "string": spec.replicas in body must be of
   * type integer: "string"}. Empty when the object is valid.
   */
  public List<FieldError> validate(JsonNode object) {
    return validate(object, NO_METADATA_CHECKS);
  }

  /**
   * As {@link #validate(JsonNode)}, with the ObjectMeta checks of embedded resources' metadata
   * (x-kubernetes-embedded-resource) done by {@code metadata}: the apiserver validates it as any object's metadata.
   * Also reports list-type set and map duplicates ({@code spec.ports[1]: Duplicate value: ...}) and embedded
   * resources' apiVersion and kind.
   */
  public List<FieldError> validate(JsonNode object, EmbeddedMetadataValidator metadata) {
    requireNonNull(object, "object is null");
    requireNonNull(metadata, "metadata is null");
    List<FieldError> errors = new ArrayList<>(validator.validate(schema, object, "", ""));
    errors.addAll(ResourceChecks.check(object, schema, "", metadata));
    return List.copyOf(errors);
  }

  /**
   * The field errors of an update of a custom resource from {@code old}, with the apiserver's validation ratcheting
   * (CRDValidationRatcheting, on by default since Kubernetes 1.30): values unchanged from the old object (same
   * property or map key, list-type map items with the same keys, equal set elements) are not checked against the
   * schema, so objects stored under an older, looser schema stay updatable. List-type uniqueness and embedded
   * resources are checked in full.
   */
  public List<FieldError> validateUpdate(JsonNode object, JsonNode old) {
    return validateUpdate(object, old, NO_METADATA_CHECKS);
  }

  /** As {@link #validateUpdate(JsonNode, JsonNode)}, embedded resources' metadata checked by {@code metadata}. */
  public List<FieldError> validateUpdate(JsonNode object, JsonNode old, EmbeddedMetadataValidator metadata) {
    requireNonNull(object, "object is null");
    requireNonNull(old, "old is null");
    requireNonNull(metadata, "metadata is null");
    List<FieldError> errors = new ArrayList<>(validator.validate(schema, object, old, "", ""));
    errors.addAll(ResourceChecks.check(object, schema, "", metadata));
    return List.copyOf(errors);
  }

  /** Validates the metadata of an embedded resource; {@code path} is its field path, e.g. spec.template.metadata. */
  @FunctionalInterface
  public interface EmbeddedMetadataValidator {
    List<FieldError> validate(JsonNode metadata, String path);
  }

  /**
   * Sets the schema's defaults in {@code object} (a custom resource, changed in place) as the apiserver does when it
   * decodes one: absent fields, and nulls where the schema is not nullable, get their default, in nested objects,
   * array items and map values too.
   */
  public void applyDefaults(ObjectNode object) {
    requireNonNull(object, "object is null");
    Defaulting.apply(object, schema);
  }

  /**
   * Drops the fields of {@code object} (a custom resource, changed in place) the schema does not specify, unless
   * x-kubernetes-preserve-unknown-fields keeps them; apiVersion, kind and metadata stay. Returns the dropped fields'
   * paths, sorted, e.g. {@code spec.foo} or {@code spec.list[0].bar}, for the apiserver's {@code unknown field
   * "spec.foo"} warnings and strict field validation errors.
   */
  public List<String> prune(ObjectNode object) {
    requireNonNull(object, "object is null");
    return Pruning.prune(object, schema, true);
  }

  /** The schema as published in OpenAPI v3 (a copy). */
  public ObjectNode openAPIV3() {
    return schema.deepCopy();
  }

  /** The schema as published in OpenAPI v2 (a copy): what v2 cannot express is dropped, as the apiserver does. */
  public ObjectNode openAPIV2() {
    return OpenApi.v2(schema);
  }
}
