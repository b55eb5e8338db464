package io.minicluster.apiserver.authz;

import static io.minicluster.apiserver.authz.FakePolicy.resources;
import static io.minicluster.apiserver.authz.FakePolicy.urls;
import static io.minicluster.apiserver.authz.FakePolicy.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscalationTest {
  private static final UserInfo BOB = new UserInfo("bob", List.of(UserInfo.AUTHENTICATED_GROUP));
  private static final ObjectNode SECRETS_ROLE = Json.parseObject("{\"metadata\":{\"name\":\"r\",\"namespace\":"
      + "\"default\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\",\"list\"]}]}");

  /** bob may write roles and bindings in default, and read (only) secrets there. */
  private static FakePolicy bobManagesRoles() {
    return new FakePolicy()
        .role("default", "manager", resources(List.of("create", "update", "patch", "get", "list"),
            List.of("rbac.authorization.k8s.io"),
            List.of("roles", "rolebindings")), resources(List.of("get"), List.of(""), List.of("secrets")))
        .bind("default", "rb", "Role", "manager", user("bob"));
  }

  @Test
  void aRoleWithRulesTheUserDoesNotHoldIsForbidden() {
    Escalation escalation = new Escalation(new RbacAuthorizer(bobManagesRoles()));
    assertThatThrownBy(() -> escalation.check(ResourceTypes.ROLES, "default", SECRETS_ROLE, BOB))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessage("roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"bob\" "
            + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"list\"]}");
  }

  @Test
  void heldRulesTheEscalateVerbOrMastersLetTheRoleThrough() {
    FakePolicy holds = bobManagesRoles()
        .role("default", "reader", resources(List.of("get", "list"), List.of(""), List.of("secrets")))
        .bind("default", "rb2", "Role", "reader", user("bob"));
    assertThatCode(() -> new Escalation(new RbacAuthorizer(holds))
        .check(ResourceTypes.ROLES, "default", SECRETS_ROLE, BOB)).doesNotThrowAnyException();
    FakePolicy escalates = bobManagesRoles()
        .clusterRole("escalator", resources(List.of("escalate"), List.of("rbac.authorization.k8s.io"),
            List.of("roles")))
        .bind("default", "rb3", "ClusterRole", "escalator", user("bob"));
    assertThatCode(() -> new Escalation(new RbacAuthorizer(escalates))
        .check(ResourceTypes.ROLES, "default", SECRETS_ROLE, BOB)).doesNotThrowAnyException();
    UserInfo admin = new UserInfo("admin", List.of(RbacAuthorizer.MASTERS));
    assertThatCode(() -> new Escalation(new RbacAuthorizer(new FakePolicy()))
        .check(ResourceTypes.CLUSTER_ROLES, "", SECRETS_ROLE, admin)).doesNotThrowAnyException();
  }

  @Test
  void bindingNeedsTheRolesRulesOrTheBindVerb() {
    ObjectNode binding = Json.parseObject("{\"metadata\":{\"name\":\"b\",\"namespace\":\"default\"},\"roleRef\":"
        + "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"admin\"},"
        + "\"subjects\":[{\"kind\":\"User\",\"name\":\"carol\"}]}");
    FakePolicy policy = bobManagesRoles().clusterRole("admin", resources(List.of("*"), List.of("*"), List.of("*")),
        urls(List.of("get"), "/healthz"));
    assertThatThrownBy(() -> new Escalation(new RbacAuthorizer(policy))
        .check(ResourceTypes.ROLE_BINDINGS, "default", binding, BOB))
        .hasMessage("rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: user \"bob\" "
            + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\"]}");
    policy.clusterRole("binder", resources(List.of("bind"), List.of("rbac.authorization.k8s.io"),
            List.of("clusterroles"), "admin"))
        .bind("default", "rb4", "ClusterRole", "binder", user("bob"));
    assertThatCode(() -> new Escalation(new RbacAuthorizer(policy))
        .check(ResourceTypes.ROLE_BINDINGS, "default", binding, BOB)).doesNotThrowAnyException();
  }

  @Test
  void bindingAMissingRoleIsNotFound() {
    ObjectNode binding = Json.parseObject("{\"metadata\":{\"name\":\"b\"},\"roleRef\":{\"kind\":\"Role\","
        + "\"name\":\"nope\"}}");
    assertThatThrownBy(() -> new Escalation(new RbacAuthorizer(bobManagesRoles()))
        .check(ResourceTypes.ROLE_BINDINGS, "default", binding, BOB))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void coverageBreaksRulesDown() {
    PolicyRule owner = resources(List.of("get", "list"), List.of("", "apps"), List.of("pods", "deployments"));
    assertThat(Coverage.uncovered(List.of(owner), List.of(resources(List.of("get"), List.of("apps"),
        List.of("deployments"), "web")))).isEmpty();
    assertThat(Coverage.uncovered(List.of(owner), List.of(resources(List.of("get", "watch"), List.of(""),
        List.of("pods"))))).containsExactly(resources(List.of("watch"), List.of(""), List.of("pods")));
    PolicyRule named = resources(List.of("get"), List.of(""), List.of("configmaps"), "a");
    assertThat(Coverage.uncovered(List.of(named), List.of(resources(List.of("get"), List.of(""),
        List.of("configmaps"))))).as("names cover only names").hasSize(1);
    assertThat(Coverage.uncovered(List.of(resources(List.of("*"), List.of("*"), List.of("*/scale"))),
        List.of(resources(List.of("update"), List.of("apps"), List.of("deployments/scale"))))).isEmpty();
    assertThat(Coverage.uncovered(List.of(urls(List.of("get"), "/logs/*")),
        List.of(urls(List.of("get"), "/logs/a", "/metrics")))).containsExactly(urls(List.of("get"), "/metrics"));
  }
}
