package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.authz.BootstrapPolicy;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class PolicyBootstrapTest {
  private static ObjectNode bootstrap(String name) {
    return BootstrapPolicy.clusterRoles().stream().filter(r -> r.at("/metadata/name").asText().equals(name))
        .findFirst().orElseThrow();
  }

  @Test
  void aTrimmedRoleGetsItsRulesAndLabelsBackWhileAddedPermissionsStay() {
    ObjectNode expected = bootstrap("system:basic-user");
    ObjectNode current = Json.parseObject(("{'metadata':{'name':'system:basic-user','labels':{'mine':'x'}},"
        + "'rules':[{'apiGroups':['authorization.k8s.io'],'resources':['selfsubjectaccessreviews'],"
        + "'verbs':['create']},{'apiGroups':[''],'resources':['pods'],'verbs':['get']}]}").replace('\'', '"'));
    assertThat(PolicyBootstrap.reconciled(ResourceTypes.CLUSTER_ROLES, current, expected)).isTrue();
    assertThat(current.at("/metadata/labels/mine").asText()).isEqualTo("x");
    assertThat(current.at("/metadata/labels/kubernetes.io~1bootstrapping").asText()).isEqualTo("rbac-defaults");
    assertThat(current.at("/metadata/annotations").toString())
        .isEqualTo("{\"rbac.authorization.kubernetes.io/autoupdate\":\"true\"}");
    assertThat(current.at("/rules/1/resources/0").asText()).as("added permission kept").isEqualTo("pods");
    assertThat(current.at("/rules/2/resources/0").asText()).isEqualTo("selfsubjectrulesreviews");
    assertThat(current.at("/rules/3/resources/0").asText()).isEqualTo("selfsubjectreviews");
    assertThat(PolicyBootstrap.reconciled(ResourceTypes.CLUSTER_ROLES, current, expected)).as("idempotent").isFalse();
  }

  @Test
  void aggregatedRolesKeepTheirRulesAndGetTheirSelectors() {
    ObjectNode expected = bootstrap("edit");
    ObjectNode current = expected.deepCopy();
    current.remove("aggregationRule");
    current.withArray("rules").addObject().putArray("verbs").add("get");
    assertThat(PolicyBootstrap.reconciled(ResourceTypes.CLUSTER_ROLES, current, expected)).isTrue();
    assertThat(current.get("aggregationRule")).isEqualTo(expected.get("aggregationRule"));
    assertThat(current.get("rules")).hasSize(1);
  }

  @Test
  void bindingsGetMissingSubjects() {
    ObjectNode expected = BootstrapPolicy.clusterRoleBindings().get(0);
    ObjectNode current = expected.deepCopy();
    current.remove("subjects");
    assertThat(PolicyBootstrap.reconciled(ResourceTypes.CLUSTER_ROLE_BINDINGS, current, expected)).isTrue();
    assertThat(current.get("subjects")).isEqualTo(expected.get("subjects"));
  }
}
