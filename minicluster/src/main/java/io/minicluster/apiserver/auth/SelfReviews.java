package io.minicluster.apiserver.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.json.Json;

/**
 * The answer to a user's question about itself: {@code SelfSubjectReview} ({@code kubectl auth whoami}). The access
 * reviews ({@code kubectl auth can-i}) are the authorizer's (apiserver.authz.AccessReviews).
 */
public final class SelfReviews {
  private SelfReviews() {}

  /** The answered review: the request with its {@code status} filled in. */
  public static ObjectNode answer(ResourceType type, ObjectNode review, UserInfo user) {
    requireNonNull(type, "type is null");
    requireNonNull(review, "review is null");
    requireNonNull(user, "user is null");
    if (!type.kind().equals("SelfSubjectReview")) {
      throw new IllegalArgumentException("not a self review: " + type.kind());
    }
    ObjectNode answered = review.deepCopy();
    answered.put("apiVersion", type.apiVersion());
    answered.put("kind", type.kind());
    if (!answered.path("metadata").isObject()) {
      answered.putObject("metadata");
    }
    ObjectNode status = Json.object();
    ObjectNode userInfo = status.putObject("userInfo");
    userInfo.put("username", user.name());
    if (!user.uid().isEmpty()) {
      userInfo.put("uid", user.uid());
    }
    user.groups().forEach(userInfo.putArray("groups")::add);
    if (!user.extra().isEmpty()) {
      ObjectNode extra = userInfo.putObject("extra");
      user.extra().forEach((key, values) -> values.forEach(extra.putArray(key)::add));
    }
    answered.set("status", status);
    return answered;
  }
}
