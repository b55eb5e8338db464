package io.minicluster.apiserver.authz;

import static io.minicluster.apiserver.authz.FakePolicy.group;
import static io.minicluster.apiserver.authz.FakePolicy.resources;
import static io.minicluster.apiserver.authz.FakePolicy.serviceAccount;
import static io.minicluster.apiserver.authz.FakePolicy.urls;
import static io.minicluster.apiserver.authz.FakePolicy.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacAuthorizerTest {
  private static final UserInfo ALICE = new UserInfo("alice", List.of("devs", UserInfo.AUTHENTICATED_GROUP));
  private static final UserInfo BUILDER = new UserInfo("system:serviceaccount:ci:builder",
      List.of("system:serviceaccounts", "system:serviceaccounts:ci", UserInfo.AUTHENTICATED_GROUP));

  private static boolean allowed(FakePolicy policy, UserInfo user, String verb, String group, String resource,
      String subresource, String namespace, String name) {
    return new RbacAuthorizer(policy).authorize(Attributes.resource(user, verb, group, resource, subresource,
        namespace, name)).allowed();
  }

  @Test
  void mastersMayDoEverythingWithoutAnyBinding() {
    UserInfo admin = new UserInfo("minicluster-admin", List.of(RbacAuthorizer.MASTERS));
    assertThat(allowed(new FakePolicy(), admin, "delete", "", "nodes", "", "", "n1")).isTrue();
    assertThat(new RbacAuthorizer(new FakePolicy()).authorize(Attributes.nonResource(admin, "get", "/anything"))
        .allowed()).isTrue();
  }

  @Test
  void noBindingNoAccess() {
    assertThat(allowed(new FakePolicy(), ALICE, "get", "", "pods", "", "default", "p")).isFalse();
  }

  @Test
  void ruleMatchesVerbGroupAndResource() {
    FakePolicy policy = new FakePolicy()
        .role("default", "reader", resources(List.of("get", "list"), List.of("apps"), List.of("deployments")))
        .bind("default", "rb", "Role", "reader", user("alice"));
    assertThat(allowed(policy, ALICE, "list", "apps", "deployments", "", "default", "")).isTrue();
    assertThat(allowed(policy, ALICE, "delete", "apps", "deployments", "", "default", "d")).as("verb").isFalse();
    assertThat(allowed(policy, ALICE, "list", "", "deployments", "", "default", "")).as("group").isFalse();
    assertThat(allowed(policy, ALICE, "list", "apps", "replicasets", "", "default", "")).as("resource").isFalse();
    assertThat(allowed(policy, ALICE, "list", "apps", "deployments", "", "other", "")).as("namespace").isFalse();
    assertThat(allowed(policy, ALICE, "get", "apps", "deployments", "scale", "default", "d"))
        .as("a subresource needs its own rule").isFalse();
  }

  @Test
  void wildcardsAndSubresources() {
    FakePolicy policy = new FakePolicy()
        .clusterRole("scaler", resources(List.of("*"), List.of("*"), List.of("*/scale")),
            resources(List.of("get"), List.of(""), List.of("pods/log")))
        .bind("", "crb", "ClusterRole", "scaler", group("devs"));
    assertThat(allowed(policy, ALICE, "update", "apps", "deployments", "scale", "x", "d")).isTrue();
    assertThat(allowed(policy, ALICE, "update", "apps", "deployments", "", "x", "d")).isFalse();
    assertThat(allowed(policy, ALICE, "get", "", "pods", "log", "x", "p")).isTrue();
    assertThat(allowed(policy, ALICE, "get", "", "pods", "exec", "x", "p")).isFalse();
  }

  @Test
  void resourceNamesLimitTheRuleToTheNamedObjects() {
    FakePolicy policy = new FakePolicy()
        .role("default", "one", resources(List.of("get", "list"), List.of(""), List.of("configmaps"), "settings"))
        .bind("default", "rb", "Role", "one", user("alice"));
    assertThat(allowed(policy, ALICE, "get", "", "configmaps", "", "default", "settings")).isTrue();
    assertThat(allowed(policy, ALICE, "get", "", "configmaps", "", "default", "other")).isFalse();
    assertThat(allowed(policy, ALICE, "list", "", "configmaps", "", "default", "")).as("an unnamed list").isFalse();
  }

  @Test
  void nonResourceUrlsWithWildcards() {
    FakePolicy policy = new FakePolicy()
        .clusterRole("logs", urls(List.of("get"), "/logs/*", "/healthz"))
        .bind("", "crb", "ClusterRole", "logs", user("alice"));
    RbacAuthorizer authorizer = new RbacAuthorizer(policy);
    assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/logs/kube/a.log")).allowed()).isTrue();
    assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/logs/")).allowed()).isTrue();
    assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/logs")).allowed()).isFalse();
    assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/healthz")).allowed()).isTrue();
    assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/healthz/ping")).allowed()).isFalse();
    assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "post", "/healthz")).allowed()).isFalse();
  }

  @Test
  void serviceAccountSubjectsDefaultToTheBindingsNamespace() {
    FakePolicy policy = new FakePolicy()
        .clusterRole("view", resources(List.of("get"), List.of(""), List.of("pods")))
        .bind("ci", "rb", "ClusterRole", "view", serviceAccount("", "builder"))
        .bind("", "crb", "ClusterRole", "view", serviceAccount("", "builder"));
    assertThat(allowed(policy, BUILDER, "get", "", "pods", "", "ci", "p")).isTrue();
    assertThat(allowed(policy, BUILDER, "get", "", "pods", "", "other", "p"))
        .as("a ClusterRole bound by a RoleBinding applies in the binding's namespace only; a cluster binding's "
            + "service account without namespace matches nobody").isFalse();
    FakePolicy wrongNamespace = new FakePolicy()
        .clusterRole("view", resources(List.of("get"), List.of(""), List.of("pods")))
        .bind("ci", "rb", "ClusterRole", "view", serviceAccount("prod", "builder"));
    assertThat(allowed(wrongNamespace, BUILDER, "get", "", "pods", "", "ci", "p")).isFalse();
  }

  @Test
  void aMissingRoleIsTheReasonOfTheDenialAndAllowedNamesItsBinding() {
    FakePolicy policy = new FakePolicy()
        .bind("", "dangling", "ClusterRole", "gone", user("alice"))
        .clusterRole("view", resources(List.of("get"), List.of(""), List.of("pods")))
        .bind("default", "rb", "ClusterRole", "view", group("devs"));
    RbacAuthorizer authorizer = new RbacAuthorizer(policy);
    RbacAuthorizer.Decision denied = authorizer.authorize(Attributes.resource(ALICE, "list", "", "secrets", "",
        "default", ""));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo("RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found");
    RbacAuthorizer.Decision allowed = authorizer.authorize(Attributes.resource(ALICE, "get", "", "pods", "",
        "default", "p"));
    assertThat(allowed.reason())
        .isEqualTo("RBAC: allowed by RoleBinding \"rb/default\" of ClusterRole \"view\" to Group \"devs\"");
  }

  @Test
  void rulesForListsEveryBoundRuleOfTheNamespace() {
    PolicyRule pods = resources(List.of("get"), List.of(""), List.of("pods"));
    PolicyRule discovery = urls(List.of("get"), "/api", "/api/*");
    FakePolicy policy = new FakePolicy()
        .clusterRole("discovery", discovery)
        .bind("", "crb", "ClusterRole", "discovery", group(UserInfo.AUTHENTICATED_GROUP))
        .role("default", "pods", pods)
        .bind("default", "rb", "Role", "pods", user("alice"))
        .bind("default", "broken", "Role", "gone", user("alice"));
    RbacAuthorizer.Rules rules = new RbacAuthorizer(policy).rulesFor(ALICE, "default");
    assertThat(rules.rules()).containsExactly(discovery, pods);
    assertThat(rules.errors()).containsExactly("role.rbac.authorization.k8s.io \"gone\" not found");
    assertThat(new RbacAuthorizer(policy).rulesFor(ALICE, "other").rules()).containsExactly(discovery);
  }
}
