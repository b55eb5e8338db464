package io.minicluster.apiserver.authz;

import static io.minicluster.apiserver.authz.FakePolicy.resources;
import static io.minicluster.apiserver.authz.FakePolicy.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import io.minicluster.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImpersonationTest {
  private static final UserInfo ADMIN = new UserInfo("minicluster-admin",
      List.of(RbacAuthorizer.MASTERS, UserInfo.AUTHENTICATED_GROUP));
  private static final UserInfo ALICE = new UserInfo("alice", List.of(UserInfo.AUTHENTICATED_GROUP));

  private static Impersonation impersonation(FakePolicy policy) {
    return new Impersonation(new RbacAuthorizer(policy));
  }

  @Test
  void withoutHeadersTheRequesterActsAsItself() {
    assertThat(impersonation(new FakePolicy()).actingAs(ALICE, new DefaultHttpHeaders())).isSameAs(ALICE);
  }

  @Test
  void aServiceAccountGetsItsGroupsAndAuthenticated() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Impersonate-User", "system:serviceaccount:ci:builder");
    UserInfo acting = impersonation(new FakePolicy()).actingAs(ADMIN, headers);
    assertThat(acting).isEqualTo(new UserInfo("system:serviceaccount:ci:builder",
        List.of("system:serviceaccounts", "system:serviceaccounts:ci", UserInfo.AUTHENTICATED_GROUP)));
  }

  @Test
  void groupsAreTakenAsGiven() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Impersonate-User", "bob")
        .add("Impersonate-Group", "devs").add("Impersonate-Group", "ops");
    assertThat(impersonation(new FakePolicy()).actingAs(ADMIN, headers).groups())
        .containsExactly("devs", "ops", UserInfo.AUTHENTICATED_GROUP);
  }

  @Test
  void theUidAndTheExtraValuesAreTheActingUsers() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Impersonate-User", "jane").add("Impersonate-Uid", "123")
        .add("Impersonate-Extra-Scopes", "view").add("Impersonate-Extra-Scopes", "edit")
        .add("Impersonate-Extra-Example.com%2FTeam", "a+b");
    UserInfo acting = impersonation(new FakePolicy()).actingAs(ADMIN, headers);
    assertThat(acting.uid()).isEqualTo("123");
    assertThat(acting.extra())
        .isEqualTo(Map.of("example.com/team", List.of("a+b"), "scopes", List.of("view", "edit")));
  }

  @Test
  void impersonatingNeedsTheImpersonateVerbOnEachThing() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Impersonate-User", "bob").add("Impersonate-Group", "ops");
    assertThatThrownBy(() -> impersonation(new FakePolicy()).actingAs(ALICE, headers))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessage("users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group "
            + "\"\" at the cluster scope");
    FakePolicy users = new FakePolicy()
        .clusterRole("impersonator", resources(List.of("impersonate"), List.of(""), List.of("users")))
        .bind("", "crb", "ClusterRole", "impersonator", user("alice"));
    assertThatThrownBy(() -> impersonation(users).actingAs(ALICE, headers))
        .hasMessage("groups \"ops\" is forbidden: User \"alice\" cannot impersonate resource \"groups\" in API group "
            + "\"\" at the cluster scope");
    assertThat(impersonation(users).actingAs(ALICE, new DefaultHttpHeaders().add("Impersonate-User", "bob")).name())
        .isEqualTo("bob");
  }
}
