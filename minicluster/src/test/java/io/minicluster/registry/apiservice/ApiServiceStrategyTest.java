package io.minicluster.registry.apiservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiServiceStrategyTest {
  private final ApiServiceStrategy strategy = new ApiServiceStrategy();

  private List<String> errors(String name, String spec) {
    ObjectNode apiService = Json.parseObject(("{'metadata':{'name':'" + name + "'},'spec':" + spec + "}")
        .replace('\'', '"'));
    strategy.applyDefaults(apiService);
    return strategy.validate(apiService).stream().map(FieldError::message).toList();
  }

  @Test
  void localAndServiceBackedApiServices() {
    assertThat(errors("v1.apps", "{'group':'apps','version':'v1','groupPriorityMinimum':17800,"
        + "'versionPriority':15}")).isEmpty();
    assertThat(errors("v1beta1.metrics.k8s.io", "{'group':'metrics.k8s.io','version':'v1beta1',"
        + "'groupPriorityMinimum':100,'versionPriority':100,'service':{'namespace':'kube-system',"
        + "'name':'metrics-server'}}")).isEmpty();
  }

  @Test
  void validationMessagesAsTheAggregatorWritesThem() {
    assertThat(errors("v1.foo", "{'group':'bar.example.com','version':'v1','groupPriorityMinimum':0,"
        + "'versionPriority':1001,'caBundle':'YWJj'}")).containsExactly(
        "metadata.name: Invalid value: \"v1.foo\": must be `spec.version+\".\"+spec.group`: \"v1.bar.example.com\"",
        "spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000",
        "spec.versionPriority: Invalid value: 1001: must be positive and less than 1000",
        "spec.caBundle: Invalid value: \"3 bytes\": local APIServices may not have a caBundle");
    assertThat(errors("v2.", "{'version':'v2','groupPriorityMinimum':1,'versionPriority':1}")).containsExactly(
        "spec.group: Required value: only v1 may have an empty group and it better be legacy kube");
    assertThat(errors("v1.x.io", "{'group':'x.io','version':'v1','groupPriorityMinimum':1,'versionPriority':1,"
        + "'service':{'port':70000}}")).containsExactly(
        "spec.service.namespace: Required value", "spec.service.name: Required value",
        "spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive");
  }
}
