package io.minicluster.registry.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class RoleStrategyTest {
  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void rulesNeedVerbsAndResourcesOrUrlsButVerbsAreNotChecked() {
    ObjectNode role = json("{'metadata':{'name':'r','namespace':'default'},'rules':["
        + "{'apiGroups':[''],'resources':['pods'],'verbs':['frobnicate']},"
        + "{'resources':['pods']},"
        + "{'apiGroups':[''],'verbs':['get']},"
        + "{'apiGroups':[''],'resources':['pods','secrets'],'resourceNames':['a'],'verbs':['get']},"
        + "{'nonResourceURLs':['/healthz'],'verbs':['get']}]}");
    assertThat(RoleStrategy.roles().validate(role)).extracting(FieldError::message).containsExactly(
        "rules[1].verbs: Required value: verbs must contain at least one value",
        "rules[1].apiGroups: Required value: resource rules must supply at least one api group",
        "rules[2].resources: Required value: resource rules must supply at least one resource",
        "rules[3].resourceNames: Required value: resource names cannot apply to multiple resources",
        "rules[4].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to "
            + "non-resource URLs");
  }

  @Test
  void clusterRolesMayHaveUrlsButNotMixedRulesAndAggregationNeedsASelector() {
    ObjectNode role = json("{'metadata':{'name':'c'},'rules':["
        + "{'nonResourceURLs':['/logs/*'],'verbs':['get']},"
        + "{'nonResourceURLs':['/x'],'resources':['pods'],'verbs':['get']}],"
        + "'aggregationRule':{'clusterRoleSelectors':[]}}");
    assertThat(RoleStrategy.clusterRoles().validate(role)).extracting(FieldError::message).containsExactly(
        "rules[1].nonResourceURLs: Invalid value: []string{\"/x\"}: rules cannot apply to both regular resources "
            + "and non-resource URLs",
        "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if "
            + "aggregationRule is non-nil");
  }

  @Test
  void namesArePathSegments() {
    assertThat(RoleStrategy.clusterRoles().nameValidator().validate("system:node", false)).isEmpty();
    assertThat(RoleStrategy.clusterRoles().nameValidator().validate("a/b", false)).containsExactly(
        "may not contain '/'");
  }
}
