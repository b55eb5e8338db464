package io.minicluster.apiserver.patch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.apiserver.schema.GroupVersionKind;
import io.minicluster.apiserver.schema.StrictValidator;
import io.minicluster.json.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies a PATCH request body to an object, as the apiserver's patch handler does before admission, validation and
 * storage (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go): the patched document is decoded into the
 * endpoint's type, so a value of the wrong type fails the request (422) instead of reaching storage, and fields the
 * type does not declare follow {@code fieldValidation}.
 *
 * <p>Not done here (the caller's job): checking that name/namespace/uid still match the request, resourceVersion
 * preconditions, and the 415 for a patch type the resource does not accept (see {@link PatchType#fromContentType}).
 */
public final class Patches {

  private Patches() {}

  /** A patched object, and the strict decoding problems to send back as warnings under fieldValidation=Warn. */
  public record Patched(ObjectNode object, List<String> warnings) {
    public Patched {
      requireNonNull(object, "object is null");
      warnings = List.copyOf(warnings);
    }
  }

  /** {@link #apply(PatchType, ObjectNode, byte[], String, String, FieldValidation)} under fieldValidation=Ignore. */
  public static ObjectNode apply(PatchType type, ObjectNode original, byte[] patchBody, String apiVersion,
      String kind) {
    return apply(type, original, patchBody, apiVersion, kind, FieldValidation.IGNORE).object();
  }

  /**
   * The patched object.
   *
   * @param type patch type from the request's Content-Type
   * @param original current object in wire JSON form; not modified
   * @param patchBody request body
   * @param apiVersion apiVersion of the object as served at this endpoint, e.g. "apps/v1"
   * @param kind kind of the object, e.g. "Deployment"
   * @param validation the request's fieldValidation: fields the patch adds that the type does not declare fail the
   *     request under Strict, are warnings under Warn
   * @return a new object; apiVersion and kind are always those given
   * @throws ApiException 400 for malformed patches, 413 for too many JSON patch operations, 415 for strategic merge
   *     on a custom resource group and for {@link PatchType#APPLY} (see {@link #checkApplyConfiguration}), 422 when
   *     the patch does not apply or the result does not decode into this kind (wrong value types; unknown fields
   *     under Strict), 500 for the Go errors the strategic merge code reports without a status
   */
  public static Patched apply(PatchType type, ObjectNode original, byte[] patchBody, String apiVersion, String kind,
      FieldValidation validation) {
    requireNonNull(type, "type is null");
    requireNonNull(original, "original is null");
    requireNonNull(patchBody, "patchBody is null");
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(validation, "validation is null");
    return switch (type) {
      case JSON -> finishDecoded(original, JsonPatch.apply(original, patchBody), apiVersion, kind, validation);
      case MERGE -> finishDecoded(original, MergePatch.apply(original, patchBody), apiVersion, kind, validation);
      case STRATEGIC_MERGE -> strategicMerge(original, patchBody, apiVersion, kind, validation);
      case APPLY -> throw new ApiException(415, "UnsupportedMediaType",
          "server-side apply (" + PatchType.APPLY.contentType() + ") is not implemented by this server yet",
          null, null, null, null);
    };
  }

  /**
   * Checks a server-side apply configuration against the endpoint's type, as structured-merge-diff's conversion of
   * the apply patch into a typed value does: a value of the wrong type or a field the type does not declare fails the
   * request, whatever fieldValidation says.
   *
   * @throws ApiException 500 (the apiserver reports these without a status) {@code failed to create typed patch
   *     object (<namespace>/<name>; <group>/<version>, Kind=<kind>): .spec.replicas: expected numeric (int or float),
   *     got string}
   */
  public static void checkApplyConfiguration(ObjectNode configuration, String apiVersion, String kind) {
    requireNonNull(configuration, "configuration is null");
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    List<String> errors = new ArrayList<>();
    for (StrictValidator.TypeMismatch mismatch : StrictValidator.typeMismatches(apiVersion, kind, configuration)) {
      errors.add(TypedErrors.structuredMergeDiff(mismatch));
    }
    for (String path : StrictValidator.unknownFields(apiVersion, kind, configuration)) {
      errors.add("." + path + ": field not declared in schema");
    }
    if (errors.isEmpty()) {
      return;
    }
    String namespace = Objects.requireNonNullElse(Json.textOrNull(configuration, "metadata", "namespace"), "");
    String name = Objects.requireNonNullElse(Json.textOrNull(configuration, "metadata", "name"), "");
    GroupVersionKind gvk = GroupVersionKind.of(Objects.requireNonNullElse(Json.textOrNull(configuration, "apiVersion"),
        ""), Objects.requireNonNullElse(Json.textOrNull(configuration, "kind"), ""));
    String described = errors.size() == 1 ? errors.get(0) : "errors:\n  " + String.join("\n  ", errors);
    throw PatchErrors.unknown("failed to create typed patch object (" + namespace + "/" + name + "; "
        + gvk.group() + "/" + gvk.version() + ", Kind=" + gvk.kind() + "): " + described);
  }

  private static Patched strategicMerge(ObjectNode original, byte[] patchBody, String apiVersion, String kind,
      FieldValidation validation) {
    if (!PatchSchema.supportsStrategicMerge(apiVersion)) {
      throw PatchType.unsupported(PatchType.ACCEPTED_CUSTOM);
    }
    JsonNode patch;
    try {
      patch = Json.parse(patchBody);
    } catch (IOException e) {
      throw PatchErrors.badRequest(Bodies.parseErrorMessage(e));
    }
    ObjectNode patchObject;
    if (patch == null || patch.isMissingNode() || patch.isNull()) {
      patchObject = Json.object();
    } else if (patch instanceof ObjectNode object) {
      patchObject = object;
    } else {
      throw PatchErrors.badRequest("json: cannot unmarshal " + Bodies.goJsonType(patch)
          + " into Go value of type map[string]interface {}");
    }
    ObjectNode result = StrategicMergePatch.apply(original.deepCopy(), patchObject,
        PatchSchema.forKind(apiVersion, kind));
    // Decoding into the typed object ignores the map's apiVersion/kind: the object keeps its type.
    ObjectNode typed = withTypeMeta(result, apiVersion, kind);
    // FromUnstructuredWithValidation into the Go type; the error shows the patch as fmt's %+v prints the map
    List<StrictValidator.TypeMismatch> mismatches = StrictValidator.typeMismatches(apiVersion, kind, typed);
    if (!mismatches.isEmpty()) {
      throw PatchErrors.undecodable(GoValues.format(patchObject), TypedErrors.converter(mismatches.get(0)));
    }
    normalize(typed, true);
    // the converter reports unknown fields sorted
    List<String> unknown = new ArrayList<>(addedUnknownFields(original, typed, apiVersion, kind));
    unknown.sort(null);
    return strictDecoding(typed, unknown, validation, () -> GoValues.format(patchObject));
  }

  /**
   * JSON and merge patches: the result is decoded as an object of the endpoint's kind (runtime.DecodeInto of the
   * patched JSON), or the request fails.
   */
  private static Patched finishDecoded(ObjectNode original, JsonNode patched, String apiVersion, String kind,
      FieldValidation validation) {
    if (!(patched instanceof ObjectNode object)) {
      throw PatchErrors.undecodable(Json.string(patched), "couldn't get version/kind; json parse error: json: "
          + "cannot unmarshal " + Bodies.goJsonType(patched) + " into Go value of type "
          + FieldValidation.TYPE_META_STRUCT);
    }
    JsonNode patchedApiVersion = object.get("apiVersion");
    JsonNode patchedKind = object.get("kind");
    if (!matches(patchedApiVersion, apiVersion) || !matches(patchedKind, kind)) {
      String actualApiVersion = text(patchedApiVersion, apiVersion);
      String actualKind = text(patchedKind, kind);
      throw PatchErrors.undecodable(Json.string(object), "unable to decode " + actualApiVersion + ", Kind="
          + actualKind + " into " + apiVersion + ", Kind=" + kind);
    }
    List<StrictValidator.TypeMismatch> mismatches = StrictValidator.typeMismatches(apiVersion, kind, object);
    if (!mismatches.isEmpty()) {
      throw PatchErrors.undecodable(Json.string(object), mismatches.get(0).message());
    }
    String patchedJson = validation == FieldValidation.STRICT ? Json.string(object) : null;
    ObjectNode typed = withTypeMeta(object, apiVersion, kind);
    normalize(typed, false);
    return strictDecoding(typed, addedUnknownFields(original, typed, apiVersion, kind), validation,
        () -> patchedJson);
  }

  /**
   * The fields of the patched object its type does not declare and the original did not have: the apiserver decodes
   * the current object from storage, where such fields cannot be, so only those the patch brought in count.
   */
  private static List<String> addedUnknownFields(ObjectNode original, ObjectNode patched, String apiVersion,
      String kind) {
    List<String> unknown = StrictValidator.unknownFields(apiVersion, kind, patched);
    if (unknown.isEmpty()) {
      return unknown;
    }
    Set<String> before = new HashSet<>(StrictValidator.unknownFields(apiVersion, kind, original));
    return unknown.stream().filter(path -> !before.contains(path)).toList();
  }

  /**
   * The unknown fields a kind's own schema found in a patched object (a custom resource's structural schema) under the
   * directive, as the patcher's strict decoding of the patched JSON: 422 under Strict with the patched object as the
   * invalid value, the warnings under Warn, nothing under Ignore.
   */
  public static List<String> unknownFieldsOfPatched(ObjectNode patched, List<String> unknownPaths,
      FieldValidation validation) {
    return strictDecoding(patched, unknownPaths, validation, () -> Json.string(patched)).warnings();
  }

  /** Unknown fields under the directive: 422 under Strict, warnings under Warn, nothing under Ignore. */
  private static Patched strictDecoding(ObjectNode typed, List<String> unknownPaths, FieldValidation validation,
      Supplier<String> invalidValue) {
    if (unknownPaths.isEmpty() || validation == FieldValidation.IGNORE) {
      return new Patched(typed, List.of());
    }
    List<String> problems = unknownPaths.stream().map(path -> "unknown field \"" + path + "\"").toList();
    if (validation == FieldValidation.STRICT) {
      throw PatchErrors.undecodable(invalidValue.get(), "strict decoding error: " + String.join(", ", problems));
    }
    return new Patched(typed, problems);
  }

  /** A missing or empty apiVersion/kind defaults to the endpoint's (gvkWithDefaults). */
  private static boolean matches(JsonNode value, String expected) {
    if (value == null || value.isNull()) {
      return true;
    }
    return value.isTextual() && (value.textValue().isEmpty() || value.textValue().equals(expected));
  }

  private static String text(JsonNode value, String fallback) {
    if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
      return fallback;
    }
    return value.isTextual() ? value.textValue() : Json.string(value);
  }

  /** The object with apiVersion and kind set, placed first when they were missing. */
  private static ObjectNode withTypeMeta(ObjectNode object, String apiVersion, String kind) {
    if (object.has("apiVersion") && object.has("kind")) {
      object.put("apiVersion", apiVersion);
      object.put("kind", kind);
      return object;
    }
    ObjectNode typed = Json.object();
    typed.put("apiVersion", apiVersion);
    typed.put("kind", kind);
    typed.setAll(object);
    typed.put("apiVersion", apiVersion);
    typed.put("kind", kind);
    return typed;
  }

  /**
   * What decoding into a typed object does to leftovers: members that are JSON null are dropped (nil pointers and
   * empty omitempty fields vanish), and for strategic merge patches the directive keys that Go leaves inside values
   * copied verbatim from the patch ({@code $patch}, {@code $retainKeys}, {@code $setElementOrder/*},
   * {@code $deleteFromPrimitiveList/*}) are dropped as unknown fields. Iterative, so any depth is safe.
   */
  static void normalize(JsonNode root, boolean stripDirectives) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node instanceof ObjectNode object) {
        List<String> remove = new ArrayList<>();
        object.fields().forEachRemaining(field -> {
          if (field.getValue().isNull() || (stripDirectives && isDirectiveKey(field.getKey()))) {
            remove.add(field.getKey());
          } else if (field.getValue().isContainerNode()) {
            pending.push(field.getValue());
          }
        });
        object.remove(remove);
      } else if (node instanceof ArrayNode array) {
        for (JsonNode element : array) {
          if (element.isContainerNode()) {
            pending.push(element);
          }
        }
      }
    }
  }

  private static boolean isDirectiveKey(String key) {
    return key.equals(StrategicMergePatch.DIRECTIVE_MARKER)
        || key.equals(StrategicMergePatch.RETAIN_KEYS_DIRECTIVE)
        || key.startsWith(StrategicMergePatch.SET_ELEMENT_ORDER_PREFIX + "/")
        || key.startsWith(StrategicMergePatch.DELETE_FROM_PRIMITIVE_LIST_PREFIX + "/");
  }
}
