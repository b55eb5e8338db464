package io.minicluster.apiserver.patch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Applies a PATCH request body to an object, as the apiserver's patch handler does before admission, validation and
 * storage (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
 *
 * <p>Not done here (the caller's job): checking that name/namespace/uid still match the request, resourceVersion
 * preconditions, {@code fieldValidation=Strict} unknown-field checks, and the 415 for a patch type the resource does
 * not accept (see {@link PatchType#fromContentType}).
 */
public final class Patches {

  private Patches() {}

  /**
   * The patched object.
   *
   * @param type patch type from the request's Content-Type
   * @param original current object in wire JSON form; not modified
   * @param patchBody request body
   * @param apiVersion apiVersion of the object as served at this endpoint, e.g. "apps/v1"
   * @param kind kind of the object, e.g. "Deployment"
   * @return a new object; apiVersion and kind are always those given
   * @throws ApiException 400 for malformed patches, 413 for too many JSON patch operations, 415 for strategic merge
   *     on a custom resource group and for {@link PatchType#APPLY} (server-side apply is not implemented yet), 422
   *     when the patch does not apply or the result is not an object of this kind, 500 for the Go errors the
   *     strategic merge code reports without a status
   */
  public static ObjectNode apply(PatchType type, ObjectNode original, byte[] patchBody, String apiVersion,
      String kind) {
    requireNonNull(type, "type is null");
    requireNonNull(original, "original is null");
    requireNonNull(patchBody, "patchBody is null");
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    return switch (type) {
      case JSON -> finishDecoded(JsonPatch.apply(original, patchBody), apiVersion, kind);
      case MERGE -> finishDecoded(MergePatch.apply(original, patchBody), apiVersion, kind);
      case STRATEGIC_MERGE -> strategicMerge(original, patchBody, apiVersion, kind);
      case APPLY -> throw new ApiException(415, "UnsupportedMediaType",
          "server-side apply (" + PatchType.APPLY.contentType() + ") is not implemented by this server yet",
          null, null, null, null);
    };
  }

  private static ObjectNode strategicMerge(ObjectNode original, byte[] patchBody, String apiVersion, String kind) {
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
    normalize(typed, true);
    return typed;
  }

  /** JSON and merge patches: the result is decoded as an object of the endpoint's kind, or the request fails. */
  private static ObjectNode finishDecoded(JsonNode patched, String apiVersion, String kind) {
    if (!(patched instanceof ObjectNode object)) {
      throw PatchErrors.undecodable(Json.string(patched), "couldn't get version/kind; json parse error: json: "
          + "cannot unmarshal " + Bodies.goJsonType(patched) + " into Go value of type struct { APIVersion string "
          + "\"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
    }
    JsonNode patchedApiVersion = object.get("apiVersion");
    JsonNode patchedKind = object.get("kind");
    if (!matches(patchedApiVersion, apiVersion) || !matches(patchedKind, kind)) {
      String actualApiVersion = text(patchedApiVersion, apiVersion);
      String actualKind = text(patchedKind, kind);
      throw PatchErrors.undecodable(Json.string(object), "unable to decode " + actualApiVersion + ", Kind="
          + actualKind + " into " + apiVersion + ", Kind=" + kind);
    }
    ObjectNode typed = withTypeMeta(object, apiVersion, kind);
    normalize(typed, false);
    return typed;
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
