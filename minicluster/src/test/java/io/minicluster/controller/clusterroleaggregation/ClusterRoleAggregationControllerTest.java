package io.minicluster.controller.clusterroleaggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.controller.clusterroleaggregation.ClusterRoleAggregationController.Role;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterRoleAggregationControllerTest {
  private static Role role(String json) {
    return Role.from(Json.parseObject(json.replace('\'', '"')));
  }

  @Test
  void unionOfTheMatchedRolesRulesSelectorBySelectorRolesByNameEachRuleOnce() {
    Role admin = role("{'metadata':{'name':'admin'},'aggregationRule':{'clusterRoleSelectors':["
        + "{'matchLabels':{'agg/admin':'true'}},{'matchExpressions':[{'key':'extra','operator':'Exists'}]}]},"
        + "'rules':[{'verbs':['stale']}]}");
    Role b = role("{'metadata':{'name':'b','labels':{'agg/admin':'true'}},'rules':[{'verbs':['get'],"
        + "'apiGroups':[''],'resources':['pods']}]}");
    Role a = role("{'metadata':{'name':'a','labels':{'agg/admin':'true','extra':'x'}},'rules':[{'verbs':['list'],"
        + "'apiGroups':[''],'resources':['pods']},{'verbs':['get'],'apiGroups':[''],'resources':['pods']}]}");
    Role unrelated = role("{'metadata':{'name':'c'},'rules':[{'verbs':['*']}]}");
    List<JsonNode> rules = ClusterRoleAggregationController.aggregatedRules(admin, List.of(b, admin, unrelated, a));
    assertThat(rules).extracting(rule -> rule.path("verbs").get(0).asText()).containsExactly("list", "get");
    assertThat(admin.aggregated()).isTrue();
    assertThat(b.aggregated()).isFalse();
  }

  @Test
  void anAggregatedRoleDoesNotAggregateItself() {
    Role self = role("{'metadata':{'name':'view','labels':{'agg/view':'true'}},'aggregationRule':"
        + "{'clusterRoleSelectors':[{'matchLabels':{'agg/view':'true'}}]},'rules':[{'verbs':['get']}]}");
    assertThat(ClusterRoleAggregationController.aggregatedRules(self, List.of(self))).isEmpty();
  }
}
