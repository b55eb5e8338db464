package io.minicluster.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfReviewsTest {
  private static final UserInfo USER = new UserInfo("alice", List.of("devs", UserInfo.AUTHENTICATED_GROUP));

  @Test
  void accessReviewIsAllowedAndEchoesTheSpec() {
    ObjectNode review = Json.parseObject("{\"apiVersion\":\"authorization.k8s.io/v1\","
        + "\"kind\":\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":{\"verb\":\"create\","
        + "\"resource\":\"pods\",\"namespace\":\"default\"}}}");
    ObjectNode answered = SelfReviews.answer(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS, review, USER);
    assertThat(answered.path("status").path("allowed").asBoolean()).isTrue();
    assertThat(answered.path("spec")).isEqualTo(review.path("spec"));
    assertThat(answered.path("metadata").isObject()).isTrue();
    assertThat(review.has("status")).as("input untouched").isFalse();
  }

  @Test
  void accessReviewNeedsExactlyOneKindOfAttributes() {
    assertThatThrownBy(() -> SelfReviews.answer(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS,
        Json.parseObject("{\"spec\":{}}"), USER))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageContaining("spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or "
            + "resourceAttributes must be specified");
    assertThatThrownBy(() -> SelfReviews.answer(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS,
        Json.parseObject("{\"spec\":{\"resourceAttributes\":{},\"nonResourceAttributes\":{\"path\":\"/x\"}}}"), USER))
        .hasMessageContaining("cannot be specified in combination with resourceAttributes");
  }

  @Test
  void whoAmIAndRules() {
    ObjectNode whoami = SelfReviews.answer(ResourceTypes.SELF_SUBJECT_REVIEWS, Json.object(), USER);
    assertThat(whoami.path("kind").asText()).isEqualTo("SelfSubjectReview");
    assertThat(whoami.path("status").path("userInfo").path("username").asText()).isEqualTo("alice");
    assertThat(whoami.path("status").path("userInfo").path("groups").toString())
        .isEqualTo("[\"devs\",\"system:authenticated\"]");

    ObjectNode rules = SelfReviews.answer(ResourceTypes.SELF_SUBJECT_RULES_REVIEWS,
        Json.parseObject("{\"spec\":{\"namespace\":\"default\"}}"), USER);
    assertThat(rules.path("status").path("resourceRules").get(0).path("verbs").get(0).asText()).isEqualTo("*");
    assertThat(rules.path("status").path("incomplete").asBoolean()).isFalse();
  }

  @Test
  void reviewTypesAreCreateOnlyAndNotStored() {
    assertThat(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS.stored()).isFalse();
    assertThat(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS.verbs()).containsExactly("create");
    assertThat(ResourceTypes.PODS.stored()).isTrue();
  }
}
