package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The authorization.k8s.io reviews, answered by the authorizer: SubjectAccessReview (any user, groups),
 * LocalSubjectAccessReview (in the URL's namespace), SelfSubjectAccessReview ({@code kubectl auth can-i}) and
 * SelfSubjectRulesReview ({@code kubectl auth can-i --list}), with the validation of pkg/apis/authorization.
 */
public final class AccessReviews {
  private final RbacAuthorizer authorizer;

  public AccessReviews(RbacAuthorizer authorizer) {
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
  }

  /** Whether this class answers reviews of the kind. */
  public static boolean answers(String kind) {
    return List.of("SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview",
        "SelfSubjectRulesReview").contains(kind);
  }

  /**
   * The answered review: the request with its {@code status} filled in.
   *
   * @param namespace the URL's namespace (LocalSubjectAccessReview), else null
   */
  public ObjectNode answer(ResourceType type, String namespace, ObjectNode review, UserInfo user) {
    requireNonNull(type, "type is null");
    requireNonNull(review, "review is null");
    requireNonNull(user, "user is null");
    ObjectNode answered = review.deepCopy();
    answered.put("apiVersion", type.apiVersion());
    answered.put("kind", type.kind());
    if (!answered.path("metadata").isObject()) {
      answered.putObject("metadata");
    }
    JsonNode spec = answered.path("spec");
    ObjectNode status = Json.object();
    switch (type.kind()) {
      case "SelfSubjectAccessReview" -> {
        validateAttributes(type, spec);
        decide(status, attributes(user, spec));
      }
      case "SubjectAccessReview" -> {
        validateSubject(type, spec);
        decide(status, attributes(subject(spec), spec));
      }
      case "LocalSubjectAccessReview" -> {
        validateLocal(type, namespace, answered, spec);
        decide(status, attributes(subject(spec), spec));
      }
      case "SelfSubjectRulesReview" -> rules(status, user, Json.text(spec, "namespace"));
      default -> throw new IllegalArgumentException("not an access review: " + type.kind());
    }
    answered.set("status", status);
    return answered;
  }

  private void decide(ObjectNode status, Attributes attributes) {
    RbacAuthorizer.Decision decision = authorizer.authorize(attributes);
    status.put("allowed", decision.allowed());
    if (!decision.reason().isEmpty()) {
      status.put("reason", decision.reason());
    }
  }

  private void rules(ObjectNode status, UserInfo user, String namespace) {
    RbacAuthorizer.Rules rules = authorizer.rulesFor(user, namespace);
    ArrayNode resourceRules = status.putArray("resourceRules");
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    for (PolicyRule rule : rules.rules()) {
      ObjectNode json = rule.toJson();
      if (rule.nonResourceURLs().isEmpty()) {
        json.remove("nonResourceURLs");
        resourceRules.add(json);
      } else {
        json.remove(List.of("apiGroups", "resources", "resourceNames"));
        nonResourceRules.add(json);
      }
    }
    status.put("incomplete", !rules.errors().isEmpty());
    if (!rules.errors().isEmpty()) {
      status.put("evaluationError", RbacAuthorizer.aggregate(rules.errors()));
    }
  }

  /** The user a (Local)SubjectAccessReview asks about. */
  private static UserInfo subject(JsonNode spec) {
    return new UserInfo(Json.text(spec, "user"), Json.strings(spec, "groups"));
  }

  /** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
  private static Attributes attributes(UserInfo user, JsonNode spec) {
    JsonNode resource = spec.path("resourceAttributes");
    if (resource.isObject()) {
      return new Attributes(user, Json.text(resource, "verb"), true, Json.text(resource, "group"),
          Json.text(resource, "version"), Json.text(resource, "resource"), Json.text(resource, "subresource"),
          Json.text(resource, "namespace"), Json.text(resource, "name"), "");
    }
    JsonNode nonResource = spec.path("nonResourceAttributes");
    return Attributes.nonResource(user, Json.text(nonResource, "verb"), Json.text(nonResource, "path"));
  }

  /** ValidateSelfSubjectAccessReviewSpec: exactly one of resourceAttributes, nonResourceAttributes. */
  private static void validateAttributes(ResourceType type, JsonNode spec) {
    List<FieldError> errors = attributeErrors(spec);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type, "", errors);
    }
  }

  private static List<FieldError> attributeErrors(JsonNode spec) {
    boolean resource = spec.path("resourceAttributes").isObject();
    boolean nonResource = spec.path("nonResourceAttributes").isObject();
    if (resource && nonResource) {
      return List.of(FieldError.invalid("spec.nonResourceAttributes", spec.get("nonResourceAttributes").toString(),
          "cannot be specified in combination with resourceAttributes"));
    }
    if (!resource && !nonResource) {
      return List.of(FieldError.required("spec.resourceAttributes",
          "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
    }
    return List.of();
  }

  /** ValidateSubjectAccessReviewSpec: the attributes, and a user or groups to ask about. */
  private static void validateSubject(ResourceType type, JsonNode spec) {
    List<FieldError> errors = subjectErrors(spec);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type, "", errors);
    }
  }

  /** The attributes' errors, and that a user or groups must be named. */
  private static List<FieldError> subjectErrors(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>(attributeErrors(spec));
    if (Json.text(spec, "user").isEmpty() && Json.strings(spec, "groups").isEmpty()) {
      errors.add(FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
    }
    return errors;
  }

  /** The local review's REST checks and ValidateLocalSubjectAccessReview. */
  private static void validateLocal(ResourceType type, String namespace, ObjectNode review, JsonNode spec) {
    String metadataNamespace = Json.text(review.path("metadata"), "namespace");
    if (namespace == null || namespace.isEmpty()) {
      throw ApiException.badRequest("namespace is required on this type: ");
    }
    if (!metadataNamespace.isEmpty() && !namespace.equals(metadataNamespace)) {
      throw ApiException.badRequest("spec.resourceAttributes.namespace must match namespace: " + namespace);
    }
    ((ObjectNode) review.path("metadata")).put("namespace", namespace);
    List<FieldError> errors = subjectErrors(spec);
    JsonNode resource = spec.path("resourceAttributes");
    if (resource.isObject() && !Json.text(resource, "namespace").equals(namespace)) {
      errors.add(FieldError.invalid("spec.resourceAttributes.namespace", Json.text(resource, "namespace"),
          "must match metadata.namespace"));
    }
    if (spec.path("nonResourceAttributes").isObject()) {
      errors.add(FieldError.invalid("spec.nonResourceAttributes", spec.get("nonResourceAttributes").toString(),
          "disallowed on this kind of request"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type, "", errors);
    }
  }
}
