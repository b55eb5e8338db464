package io.minicluster.registry.admissionregistration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class ValidatingAdmissionPolicyStrategyTest {
  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void aPolicyIsDefaultedAndValidated() {
    ValidatingAdmissionPolicyStrategy strategy = ValidatingAdmissionPolicyStrategy.policies();
    ObjectNode policy = json("{'metadata':{'name':'replicas'},'spec':{'matchConstraints':{'resourceRules':"
        + "[{'operations':['CREATE'],'apiGroups':['apps'],'apiVersions':['v1'],'resources':['deployments']}]},"
        + "'validations':[{'expression':'object.spec.replicas <= 5'}]}}");
    strategy.applyDefaults(policy);

    assertThat(policy.at("/spec/failurePolicy").asText()).isEqualTo("Fail");
    assertThat(policy.at("/spec/matchConstraints/matchPolicy").asText()).isEqualTo("Equivalent");
    assertThat(policy.at("/spec/matchConstraints/resourceRules/0/scope").asText()).isEqualTo("*");
    assertThat(strategy.validate(policy)).isEmpty();

    ObjectNode invalid = json("{'metadata':{'name':'p'},'spec':{'failurePolicy':'Maybe','paramKind':{'kind':'x'},"
        + "'validations':[{'expression':' ','reason':'Teapot'}]}}");
    assertThat(strategy.validate(invalid)).extracting(FieldError::message).containsExactly(
        "spec.failurePolicy: Unsupported value: \"Maybe\": supported values: \"Fail\", \"Ignore\"",
        "spec.paramKind.apiVersion: Required value",
        "spec.matchConstraints: Required value",
        "spec.validations[0].expression: Required value: expression is not specified",
        "spec.validations[0].reason: Unsupported value: \"Teapot\": supported values: \"Forbidden\", \"Invalid\", "
            + "\"RequestEntityTooLarge\"");
  }

  @Test
  void aBindingNamesItsPolicyAndActions() {
    ValidatingAdmissionPolicyStrategy strategy = ValidatingAdmissionPolicyStrategy.bindings();

    assertThat(strategy.validate(json("{'metadata':{'name':'b'},'spec':{'policyName':'replicas',"
        + "'validationActions':['Deny']}}"))).isEmpty();
    assertThat(strategy.validate(json("{'metadata':{'name':'b'},'spec':{}}"))).extracting(FieldError::message)
        .containsExactly("spec.policyName: Required value",
            "spec.validationActions: Required value: at least one validation action is required");
    assertThat(strategy.validate(json("{'metadata':{'name':'b'},'spec':{'policyName':'p',"
        + "'validationActions':['Deny','Warn','Deny']}}"))).extracting(FieldError::message).containsExactly(
        "spec.validationActions[2]: Duplicate value: \"Deny\"",
        "spec.validationActions: Invalid value: [\"Deny\",\"Warn\",\"Deny\"]: must not contain both Deny and Warn "
            + "(repeating the same validation failure information in the API response and headers serves no "
            + "purpose)");
  }
}
