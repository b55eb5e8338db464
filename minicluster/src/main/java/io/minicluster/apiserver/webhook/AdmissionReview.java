package io.minicluster.apiserver.webhook;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.Requester;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * admission.k8s.io AdmissionReview, as the webhook dispatcher writes the request (request/v1 and v1beta1 are the same
 * shape) and reads the response.
 */
final class AdmissionReview {
  static final List<String> VERSIONS = List.of("v1", "v1beta1");

  private AdmissionReview() {}

  /** The first of the webhook's admissionReviewVersions this server speaks, or null when none is. */
  static String version(JsonNode hook) {
    for (String version : Json.strings(hook, "admissionReviewVersions")) {
      if (VERSIONS.contains(version)) {
        return version;
      }
    }
    return null;
  }

  /** The review sent to a webhook. */
  static ObjectNode request(String version, String uid, AdmissionRequest request) {
    ObjectNode review = Json.object();
    review.put("kind", "AdmissionReview");
    review.put("apiVersion", "admission.k8s.io/" + version);
    ObjectNode body = review.putObject("request");
    body.put("uid", uid);
    ResourceType type = request.type();
    // a connection's kind is that of its options (PodExecOptions, PodAttachOptions, PodPortForwardOptions)
    ObjectNode kind = groupVersion(type, "kind", request.operation() == AdmissionRequest.Operation.CONNECT
        ? Json.text(request.object(), "kind") : type.kind());
    ObjectNode resource = groupVersion(type, "resource", type.plural());
    body.set("kind", kind);
    body.set("resource", resource);
    if (!request.subresource().isEmpty()) {
      body.put("subResource", request.subresource());
    }
    body.set("requestKind", kind.deepCopy());
    body.set("requestResource", resource.deepCopy());
    if (!request.subresource().isEmpty()) {
      body.put("requestSubResource", request.subresource());
    }
    if (!request.name().isEmpty()) {
      body.put("name", request.name());
    }
    if (!request.namespace().isEmpty()) {
      body.put("namespace", request.namespace());
    }
    body.put("operation", request.operation().name());
    body.set("userInfo", userInfo(request.requester()));
    body.set("object", request.object() == null ? Json.MAPPER.nullNode() : request.object().deepCopy());
    body.set("oldObject", request.oldObject() == null ? Json.MAPPER.nullNode() : request.oldObject().deepCopy());
    body.put("dryRun", request.dryRun());
    if (request.operation() != AdmissionRequest.Operation.CONNECT) {
      body.set("options", options(request));
    }
    return review;
  }

  /** A GroupVersionKind or GroupVersionResource: the type's group and version, and {@code field}. */
  private static ObjectNode groupVersion(ResourceType type, String field, String value) {
    ObjectNode node = Json.object();
    node.put("group", type.group());
    node.put("version", type.version());
    node.put(field, value);
    return node;
  }

  private static ObjectNode userInfo(Requester requester) {
    ObjectNode user = Json.object();
    user.put("username", requester.name());
    if (!requester.uid().isEmpty()) {
      user.put("uid", requester.uid());
    }
    ArrayNode groups = user.putArray("groups");
    requester.groups().forEach(groups::add);
    if (!requester.extra().isEmpty()) {
      ObjectNode extra = user.putObject("extra");
      requester.extra().forEach((key, values) -> {
        ArrayNode array = extra.putArray(key);
        values.forEach(array::add);
      });
    }
    return user;
  }

  /** The operation's options: CreateOptions, UpdateOptions or DeleteOptions of meta.k8s.io/v1. */
  private static ObjectNode options(AdmissionRequest request) {
    ObjectNode options = Json.object();
    options.put("kind", switch (request.operation()) {
      case CREATE -> "CreateOptions";
      case UPDATE -> "UpdateOptions";
      case DELETE -> "DeleteOptions";
      case CONNECT -> throw new IllegalArgumentException("a connection has no operation options");
    });
    options.put("apiVersion", "meta.k8s.io/v1");
    if (request.dryRun()) {
      options.putArray("dryRun").add("All");
    }
    return options;
  }

  /** A webhook's answer: allowed, its status (when denied), a JSON patch (mutating webhooks) and warnings. */
  record Response(boolean allowed, JsonNode status, byte[] patch, List<String> warnings) {
    Response {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Decodes a webhook's answer to the review with this uid.
   *
   * @throws WebhookClient.CallFailure for an answer that is not a review of the version sent, or is for another uid
   */
  static Response response(byte[] body, String version, String uid) throws WebhookClient.CallFailure {
    requireNonNull(body, "body is null");
    JsonNode review;
    try {
      review = Json.parse(body);
    } catch (Exception e) {
      throw new WebhookClient.CallFailure("failed to decode the webhook response: " + e.getMessage());
    }
    String apiVersion = "admission.k8s.io/" + version;
    if (version.equals("v1") && (!Json.text(review, "apiVersion").equals(apiVersion)
        || !Json.text(review, "kind").equals("AdmissionReview"))) {
      throw new WebhookClient.CallFailure("expected webhook response of " + apiVersion + ", Kind=AdmissionReview, got "
          + Json.text(review, "apiVersion") + ", Kind=" + Json.text(review, "kind"));
    }
    JsonNode response = Json.get(review, "response");
    if (response == null || !response.isObject()) {
      throw new WebhookClient.CallFailure("webhook response was absent");
    }
    if (version.equals("v1") && !Json.text(response, "uid").equals(uid)) {
      throw new WebhookClient.CallFailure("expected response.uid=\"" + uid + "\", got \""
          + Json.text(response, "uid") + "\"");
    }
    byte[] patch = null;
    String encoded = Json.textOrNull(response, "patch");
    if (encoded != null && !encoded.isEmpty()) {
      String patchType = Json.text(response, "patchType");
      if (version.equals("v1") && !patchType.equals("JSONPatch")) {
        throw new WebhookClient.CallFailure(patchType.isEmpty() ? "webhook returned response.patch but not "
            + "response.patchType" : "webhook returned invalid response.patchType of \"" + patchType + "\"");
      }
      patch = Base64.getDecoder().decode(encoded);
    }
    List<String> warnings = new ArrayList<>(Json.strings(response, "warnings"));
    return new Response(Json.bool(response, "allowed"), Json.get(response, "status"), patch, warnings);
  }
}
