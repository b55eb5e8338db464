package io.minicluster.apiserver.authz;

import static io.minicluster.apiserver.authz.FakePolicy.resources;
import static io.minicluster.apiserver.authz.FakePolicy.serviceAccount;
import static io.minicluster.apiserver.authz.FakePolicy.urls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessReviewsTest {
  private static final UserInfo SA = new UserInfo("system:serviceaccount:default:default",
      List.of("system:serviceaccounts", "system:serviceaccounts:default", UserInfo.AUTHENTICATED_GROUP));
  private static final String LIST_SECRETS = "{\"spec\":{\"resourceAttributes\":{\"verb\":\"list\","
      + "\"resource\":\"secrets\",\"namespace\":\"default\"}}}";

  private static FakePolicy secretReader() {
    return new FakePolicy()
        .role("default", "secret-reader", resources(List.of("get", "list"), List.of(""), List.of("secrets")))
        .clusterRole("discovery", urls(List.of("get"), "/api", "/api/*"))
        .bind("", "discovery", "ClusterRole", "discovery", FakePolicy.group(UserInfo.AUTHENTICATED_GROUP));
  }

  @Test
  void selfAccessReviewSaysNoUntilABindingSaysYes() {
    FakePolicy policy = secretReader();
    AccessReviews reviews = new AccessReviews(new RbacAuthorizer(policy));
    ObjectNode review = Json.parseObject(LIST_SECRETS);
    ObjectNode denied = reviews.answer(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS, null, review, SA);
    assertThat(Json.string(denied.get("status"))).isEqualTo("{\"allowed\":false}");
    assertThat(denied.path("spec")).isEqualTo(review.path("spec"));
    assertThat(review.has("status")).as("input untouched").isFalse();

    policy.bind("default", "read", "Role", "secret-reader", serviceAccount("", "default"));
    ObjectNode allowed = reviews.answer(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS, null, review, SA);
    assertThat(allowed.path("status").path("allowed").asBoolean()).isTrue();
    assertThat(allowed.path("status").path("reason").asText()).isEqualTo("RBAC: allowed by RoleBinding "
        + "\"read/default\" of Role \"secret-reader\" to ServiceAccount \"default/default\"");
  }

  @Test
  void subjectAccessReviewsAskAboutTheSpecsUser() {
    FakePolicy policy = secretReader().bind("default", "read", "Role", "secret-reader", FakePolicy.user("bob"));
    AccessReviews reviews = new AccessReviews(new RbacAuthorizer(policy));
    ObjectNode review = Json.parseObject("{\"spec\":{\"user\":\"bob\",\"resourceAttributes\":{\"verb\":\"get\","
        + "\"resource\":\"secrets\",\"namespace\":\"default\"}}}");
    assertThat(reviews.answer(ResourceTypes.SUBJECT_ACCESS_REVIEWS, null, review, SA)
        .path("status").path("allowed").asBoolean()).isTrue();
    ObjectNode local = reviews.answer(ResourceTypes.LOCAL_SUBJECT_ACCESS_REVIEWS, "default", review, SA);
    assertThat(local.path("status").path("allowed").asBoolean()).isTrue();
    assertThat(local.path("metadata").path("namespace").asText()).isEqualTo("default");
    assertThatThrownBy(() -> reviews.answer(ResourceTypes.LOCAL_SUBJECT_ACCESS_REVIEWS, "other", review, SA))
        .hasMessageContaining("spec.resourceAttributes.namespace: Invalid value: \"default\": must match "
            + "metadata.namespace");
    assertThatThrownBy(() -> reviews.answer(ResourceTypes.SUBJECT_ACCESS_REVIEWS, null,
        Json.parseObject("{\"spec\":{\"nonResourceAttributes\":{\"path\":\"/x\",\"verb\":\"get\"}}}"), SA))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageContaining("spec.user: Invalid value: \"\": at least one of user or group must be specified");
  }

  @Test
  void accessReviewNeedsExactlyOneKindOfAttributes() {
    AccessReviews reviews = new AccessReviews(new RbacAuthorizer(new FakePolicy()));
    assertThatThrownBy(() -> reviews.answer(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS, null,
        Json.parseObject("{\"spec\":{}}"), SA))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageContaining("spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or "
            + "resourceAttributes must be specified");
    assertThatThrownBy(() -> reviews.answer(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS, null,
        Json.parseObject("{\"spec\":{\"resourceAttributes\":{},\"nonResourceAttributes\":{\"path\":\"/x\"}}}"), SA))
        .hasMessageContaining("cannot be specified in combination with resourceAttributes");
  }

  @Test
  void rulesReviewListsResourceAndNonResourceRules() {
    FakePolicy policy = secretReader().bind("default", "read", "Role", "secret-reader", serviceAccount("", "default"))
        .bind("default", "broken", "Role", "gone", serviceAccount("", "default"));
    ObjectNode rules = new AccessReviews(new RbacAuthorizer(policy)).answer(ResourceTypes.SELF_SUBJECT_RULES_REVIEWS,
        null, Json.parseObject("{\"spec\":{\"namespace\":\"default\"}}"), SA);
    assertThat(Json.string(rules.get("status"))).isEqualTo("{\"resourceRules\":[{\"verbs\":[\"get\",\"list\"],"
        + "\"apiGroups\":[\"\"],\"resources\":[\"secrets\"]}],\"nonResourceRules\":[{\"verbs\":[\"get\"],"
        + "\"nonResourceURLs\":[\"/api\",\"/api/*\"]}],\"incomplete\":true,"
        + "\"evaluationError\":\"role.rbac.authorization.k8s.io \\\"gone\\\" not found\"}");
  }
}
