package io.minicluster.apiextensions.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import java.util.List;

/**
 * A CustomResourceDefinition version's structural schema (apiextensions-apiserver's pkg/apiserver/schema): the
 * checked {@code openAPIV3Schema} and what the apiserver does with it for custom resources: validation, defaulting,
 * pruning of unknown fields, and the schema it publishes in OpenAPI. Immutable; safe to share between threads.
 */
public final class StructuralSchema {
  private final JsonNode schema;
  private final ValueValidator validator = new ValueValidator();

  private StructuralSchema(JsonNode schema) {
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
    return new Parsed(new StructuralSchema(openAPIV3Schema.deepCopy()), List.of());
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
    requireNonNull(object, "object is null");
    return List.copyOf(validator.validate(schema, object, "", ""));
  }
}
