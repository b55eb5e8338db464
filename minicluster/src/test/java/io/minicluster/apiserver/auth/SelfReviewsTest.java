package io.minicluster.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelfReviewsTest {
  private static final UserInfo USER = new UserInfo("alice", List.of("devs", UserInfo.AUTHENTICATED_GROUP));

  @Test
  void whoAmIShowsAServiceAccountsUidAndExtra() {
    UserInfo account = new UserInfo("system:serviceaccount:team:default", List.of("system:serviceaccounts"),
        "sa-uid", Map.of("authentication.kubernetes.io/pod-name", List.of("web")));

    ObjectNode userInfo = (ObjectNode) SelfReviews.answer(ResourceTypes.SELF_SUBJECT_REVIEWS, Json.object(), account)
        .at("/status/userInfo");

    assertThat(userInfo.path("uid").asText()).isEqualTo("sa-uid");
    assertThat(userInfo.path("extra").toString()).isEqualTo("{\"authentication.kubernetes.io/pod-name\":[\"web\"]}");
  }

  @Test
  void whoAmI() {
    ObjectNode whoami = SelfReviews.answer(ResourceTypes.SELF_SUBJECT_REVIEWS, Json.object(), USER);
    assertThat(whoami.path("kind").asText()).isEqualTo("SelfSubjectReview");
    assertThat(whoami.path("status").path("userInfo").path("username").asText()).isEqualTo("alice");
    assertThat(whoami.path("status").path("userInfo").path("groups").toString())
        .isEqualTo("[\"devs\",\"system:authenticated\"]");
  }

  @Test
  void reviewTypesAreCreateOnlyAndNotStored() {
    assertThat(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS.stored()).isFalse();
    assertThat(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS.verbs()).containsExactly("create");
    assertThat(ResourceTypes.SUBJECT_ACCESS_REVIEWS.stored()).isFalse();
    assertThat(ResourceTypes.PODS.stored()).isTrue();
  }
}
