package io.minicluster.apiserver.webhook;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.json.Json;
import io.minicluster.registry.CustomResourceConverter;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The apiextensions-apiserver's webhook converter: the objects to convert are sent in one ConversionReview (the first
 * of the definition's conversionReviewVersions the server speaks), and the answer is checked as upstream checks it
 * (the review's version and uid, a Success result, one object per object sent, each of the wanted apiVersion and the
 * same kind, name, namespace and uid). The converted objects keep their originals' metadata but for the labels and
 * annotations the webhook set (restoreObjectMeta). Every failure is upstream's
 * {@code conversion webhook for <group>/<version>, Kind=<kind> ...} error, a 500.
 */
public final class ConversionWebhook implements CustomResourceConverter {
  /** How long a call may take: upstream's webhook client default. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String REVIEW_GROUP = "apiextensions.k8s.io/";

  private final WebhookClient client;

  public ConversionWebhook(WebhookClient client) {
    this.client = requireNonNull(client, "client is null");
  }

  @Override
  public List<ObjectNode> convert(CustomResourceDefinition definition, List<ObjectNode> objects, String apiVersion) {
    requireNonNull(definition, "definition is null");
    requireNonNull(apiVersion, "apiVersion is null");
    if (objects.isEmpty()) {
      return List.of();
    }
    String gvk = Json.text(objects.get(0), "apiVersion") + ", Kind=" + Json.text(objects.get(0), "kind");
    String version = definition.conversion().reviewVersions().stream()
        .filter(v -> v.equals("v1") || v.equals("v1beta1")).findFirst()
        .orElseThrow(() -> ApiException.internal("no supported conversion review versions"));
    String uid = UUID.randomUUID().toString();
    ObjectNode review = Json.object();
    review.put("kind", "ConversionReview");
    review.put("apiVersion", REVIEW_GROUP + version);
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    request.put("desiredAPIVersion", apiVersion);
    ArrayNode sent = request.putArray("objects");
    objects.forEach(sent::add);
    JsonNode clientConfig = definition.conversion().clientConfig();
    List<JsonNode> converted;
    try {
      converted = convertedObjects(client.post(clientConfig, Json.bytes(review), TIMEOUT), version, uid);
    } catch (WebhookClient.CallFailure e) {
      throw failure(gvk, "failed: Post \"" + WebhookAdmission.displayUrl(clientConfig, TIMEOUT) + "\": "
          + e.getMessage());
    } catch (ConversionFailure e) {
      throw failure(gvk, "failed: " + e.getMessage());
    }
    if (converted.size() != objects.size()) {
      throw failure(gvk, "returned " + converted.size() + " objects, expected " + objects.size());
    }
    List<ObjectNode> result = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      ObjectNode original = objects.get(i);
      String at = objects.size() == 1 ? "returned invalid object" : "returned invalid converted object at index "
          + i;
      if (!(converted.get(i) instanceof ObjectNode object)) {
        throw failure(gvk, at + ": not an object");
      }
      String received = Json.text(object, "apiVersion");
      if (!received.equals(apiVersion)) {
        throw failure(gvk, at + ": invalid groupVersion (expected " + apiVersion + ", received " + received + ")");
      }
      if (!Json.text(object, "kind").equals(Json.text(original, "kind"))) {
        throw failure(gvk, at + ": invalid kind (expected " + Json.text(original, "kind") + ", received "
            + Json.text(object, "kind") + ")");
      }
      // validateConvertedObject
      for (String field : List.of("name", "namespace", "uid")) {
        String expected = Json.text(original.path("metadata"), field);
        String got = Json.text(object.path("metadata"), field);
        if (!expected.equals(got)) {
          throw failure(gvk, at + ": must have the same " + (field.equals("uid") ? "UID" : field) + ": " + expected
              + " != " + got);
        }
      }
      result.add(restoreObjectMeta(original, object, gvk, objects.size() == 1 ? "" : " in object at index " + i));
    }
    return result;
  }

  /** A problem with the webhook's answer, in upstream's words. */
  private static final class ConversionFailure extends Exception {
    private static final long serialVersionUID = 1L;

    ConversionFailure(String message) {
      super(message);
    }
  }

  /** getConvertedObjectsFromResponse. */
  private static List<JsonNode> convertedObjects(byte[] body, String version, String uid) throws ConversionFailure {
    JsonNode review;
    try {
      review = Json.parse(body);
    } catch (IOException | RuntimeException e) {
      throw new ConversionFailure(e.getMessage());
    }
    if (version.equals("v1")) {
      String gvk = Json.text(review, "apiVersion") + ", Kind=" + Json.text(review, "kind");
      if (!gvk.equals(REVIEW_GROUP + "v1, Kind=ConversionReview")) {
        throw new ConversionFailure("expected webhook response of " + REVIEW_GROUP + "v1, Kind=ConversionReview, got "
            + gvk);
      }
    }
    JsonNode response = Json.get(review, "response");
    if (response == null || !response.isObject()) {
      throw new ConversionFailure("no response provided");
    }
    if (version.equals("v1") && !Json.text(response, "uid").equals(uid)) {
      throw new ConversionFailure("expected response.uid=\"" + uid + "\", got \"" + Json.text(response, "uid")
          + "\"");
    }
    JsonNode result = response.path("result");
    String status = Json.text(result, "status");
    if (!status.equals("Success")) {
      String message = Json.text(result, "message");
      throw new ConversionFailure(message.isEmpty() ? "response.result.status was '" + status + "', not 'Success'"
          : message);
    }
    List<JsonNode> objects = new ArrayList<>();
    Json.elements(response, "convertedObjects").forEach(objects::add);
    return objects;
  }

  /** restoreObjectMeta: the original's metadata, with the labels and annotations the webhook answered. */
  private static ObjectNode restoreObjectMeta(ObjectNode original, ObjectNode converted, String gvk, String where) {
    JsonNode answered = converted.get("metadata");
    if (!(answered instanceof ObjectNode answeredMeta)) {
      throw failure(gvk, "returned invalid metadata" + where + ": missing metadata in converted object");
    }
    ObjectNode metadata = original.path("metadata") instanceof ObjectNode meta ? meta.deepCopy() : Json.object();
    for (String field : List.of("labels", "annotations")) {
      JsonNode value = answeredMeta.get(field);
      if (value == null || value.isNull()) {
        metadata.remove(field);
        continue;
      }
      if (!value.isObject()) {
        throw failure(gvk, "returned invalid metadata" + where + ": invalid metadata." + field + " of type "
            + value.getNodeType() + " in converted object");
      }
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        if (!entry.getValue().isTextual()) {
          throw failure(gvk, "returned invalid metadata" + where + ": metadata." + field + "[" + entry.getKey()
              + "] must be a string in converted object");
        }
      }
      if (!value.equals(metadata.get(field))) {
        List<FieldError> errors = field.equals("labels")
            ? ObjectMetaValidation.validateLabels(value, "metadata.labels")
            : ObjectMetaValidation.validateAnnotations(value, "metadata.annotation");
        if (!errors.isEmpty()) {
          List<String> messages = errors.stream().map(FieldError::message).toList();
          throw failure(gvk, "returned invalid metadata" + where + ": " + (messages.size() == 1 ? messages.get(0)
              : "[" + String.join(", ", messages) + "]"));
        }
      }
      metadata.set(field, value);
    }
    converted.set("metadata", metadata);
    return converted;
  }

  private static ApiException failure(String gvk, String message) {
    return ApiException.internal("conversion webhook for " + gvk + " " + message);
  }
}
