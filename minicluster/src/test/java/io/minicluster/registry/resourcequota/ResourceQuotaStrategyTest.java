package io.minicluster.registry.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceQuotaStrategyTest {
  private final ResourceQuotaStrategy strategy = new ResourceQuotaStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private List<String> errors(String spec) {
    ObjectNode quota = json("{'metadata':{'name':'q','namespace':'default'},'spec':" + spec + "}");
    strategy.prepareForCreate(quota);
    return strategy.validate(quota).stream().map(FieldError::message).toList();
  }

  @Test
  void aNewQuotaHasNoStatusAndValidHardLimitsPass() {
    ObjectNode quota = json("{'metadata':{'name':'q'},'spec':{'hard':{'pods':'2'}},'status':{'used':{'pods':'9'}}}");
    strategy.prepareForCreate(quota);

    assertThat(quota.has("status")).isFalse();
    assertThat(errors("{'hard':{'pods':'10','requests.cpu':'1500m','limits.memory':'2Gi','count/deployments.apps':"
        + "'3','requests.nvidia.com/gpu':'1','gold.storageclass.storage.k8s.io/requests.storage':'5Gi'}}")).isEmpty();
  }

  @Test
  void validationErrorsAsTheApiserverWritesThem() {
    assertThat(errors("{'hard':{'pods':'1500m'}}")).containsExactly(
        "spec.hard[pods]: Invalid value: \"1500m\": must be an integer");
    assertThat(errors("{'hard':{'cpu':'-1'}}")).containsExactly(
        "spec.hard[cpu]: Invalid value: \"-1\": must be greater than or equal to 0");
    assertThat(errors("{'hard':{'widgets':'1'}}")).containsExactly(
        "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource type or fully qualified");
    assertThat(errors("{'hard':{'storage':'1'}}")).containsExactly(
        "spec.hard[storage]: Invalid value: \"storage\": must be a standard resource for quota");
    assertThat(errors("{'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':[{'scopeName':'BestEffort',"
        + "'operator':'In','values':['x']}]}}")).containsExactly(
        "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exist' only operator when "
            + "scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, "
            + "ResourceQuotaScopeBestEffort and ResourceQuotaScopeNotBestEffort");
    assertThat(errors("{'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':[{'scopeName':'PriorityClass',"
        + "'operator':'In'}]}}")).containsExactly(
        "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is "
            + "'In' or 'NotIn' for scope selector");
    assertThat(errors("{'hard':{'pods':'1'},'scopes':['BestEffort','NotBestEffort']}"))
        .hasSize(1).allMatch(m -> m.startsWith("spec.scopes: Invalid value: ") && m.endsWith(": conflicting scopes"));
    assertThat(errors("{'hard':{'services':'1'},'scopes':['BestEffort']}"))
        .hasSize(1).allMatch(m -> m.endsWith(": unsupported scope applied to resource"));
  }
}
