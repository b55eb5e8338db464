package io.minicluster.apiserver.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.json.Json;
import java.util.List;

/**
 * The answers to a user's questions about itself: {@code SelfSubjectReview} ({@code kubectl auth whoami}),
 * {@code SelfSubjectAccessReview} ({@code kubectl auth can-i}) and {@code SelfSubjectRulesReview}
 * ({@code kubectl auth can-i --list}).
 *
 * <p>minicluster authorizes like the apiserver's {@code AlwaysAllow} mode: a single-user appliance where every
 * authenticated identity (the admin certificate and token, service-account tokens) may do everything; anonymous
 * requests never get this far. The reviews say exactly that, so tools that ask before acting (kubectl, dashboards,
 * IDE plugins) proceed.
 */
public final class SelfReviews {
  private SelfReviews() {}

  /** The answered review: the request with its {@code status} filled in. */
  public static ObjectNode answer(ResourceType type, ObjectNode review, UserInfo user) {
    requireNonNull(type, "type is null");
    requireNonNull(review, "review is null");
    requireNonNull(user, "user is null");
    ObjectNode answered = review.deepCopy();
    answered.put("apiVersion", type.apiVersion());
    answered.put("kind", type.kind());
    if (!answered.path("metadata").isObject()) {
      answered.putObject("metadata");
    }
    ObjectNode status = Json.object();
    switch (type.kind()) {
      case "SelfSubjectReview" -> {
        ObjectNode userInfo = status.putObject("userInfo");
        userInfo.put("username", user.name());
        user.groups().forEach(userInfo.putArray("groups")::add);
      }
      case "SelfSubjectAccessReview" -> {
        validateAccessReview(type, answered);
        status.put("allowed", true);
        status.put("reason", "minicluster allows every authenticated user");
      }
      case "SelfSubjectRulesReview" -> {
        ObjectNode resourceRule = status.putArray("resourceRules").addObject();
        resourceRule.putArray("verbs").add("*");
        resourceRule.putArray("apiGroups").add("*");
        resourceRule.putArray("resources").add("*");
        ObjectNode nonResourceRule = status.putArray("nonResourceRules").addObject();
        nonResourceRule.putArray("verbs").add("*");
        nonResourceRule.putArray("nonResourceURLs").add("*");
        status.put("incomplete", false);
      }
      default -> throw new IllegalArgumentException("not a self review: " + type.kind());
    }
    answered.set("status", status);
    return answered;
  }

  /** As the apiserver's ValidateSelfSubjectAccessReview: exactly one of resourceAttributes, nonResourceAttributes. */
  private static void validateAccessReview(ResourceType type, ObjectNode review) {
    JsonNode spec = review.path("spec");
    boolean resource = spec.path("resourceAttributes").isObject();
    boolean nonResource = spec.path("nonResourceAttributes").isObject();
    if (resource == nonResource) {
      FieldError error = resource
          ? FieldError.invalid("spec.nonResourceAttributes", spec.get("nonResourceAttributes").toString(),
              "cannot be specified in combination with resourceAttributes")
          : FieldError.required("spec.resourceAttributes",
              "exactly one of nonResourceAttributes or resourceAttributes must be specified");
      throw ApiException.invalid(type, "", List.of(error));
    }
  }
}
