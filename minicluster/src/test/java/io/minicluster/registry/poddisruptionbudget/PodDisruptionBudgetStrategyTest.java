package io.minicluster.registry.poddisruptionbudget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDisruptionBudgetStrategyTest {
  private final PodDisruptionBudgetStrategy strategy = new PodDisruptionBudgetStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String spec) {
    ObjectNode budget = json("{'metadata':{'name':'web','namespace':'default'},'spec':" + spec + "}");
    strategy.applyDefaults(budget);
    strategy.prepareForCreate(budget);
    return budget;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  @Test
  void aNewBudgetHasTheZeroStatusAndNoDefaults() {
    ObjectNode budget = created("{'minAvailable':2,'selector':{'matchLabels':{'app':'web'}}}");

    assertThat(budget.get("status")).isEqualTo(json("{'disruptionsAllowed':0,'currentHealthy':0,"
        + "'desiredHealthy':0,'expectedPods':0}"));
    assertThat(budget.get("spec")).isEqualTo(json("{'minAvailable':2,'selector':{'matchLabels':{'app':'web'}}}"));
    assertThat(strategy.validate(budget)).isEmpty();
    assertThat(errors("{'maxUnavailable':'50%','unhealthyPodEvictionPolicy':'AlwaysAllow'}")).isEmpty();
  }

  @Test
  void validationErrorsAsTheApiserverWritesThem() {
    assertThat(errors("{'minAvailable':-1}")).containsExactly(
        "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0");
    assertThat(errors("{'maxUnavailable':'120%'}")).containsExactly(
        "spec.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%");
    assertThat(errors("{'minAvailable':'half'}")).containsExactly(
        "spec.minAvailable: Invalid value: \"half\": a valid percent string must be a numeric string followed by an "
            + "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
    assertThat(errors("{'minAvailable':1,'maxUnavailable':1}")).containsExactly(
        "spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000010000), "
            + "Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0xc000010000), "
            + "UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicy)(nil)}: minAvailable and "
            + "maxUnavailable cannot be both set");
    assertThat(errors("{'unhealthyPodEvictionPolicy':'Sometimes'}")).containsExactly(
        "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", "
            + "\"IfHealthyBudget\"");
    assertThat(errors("{'selector':{'matchExpressions':[{'key':'app','operator':'In'}]}}")).containsExactly(
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or "
            + "'NotIn'");
  }

  @Test
  void statusCountersMayNotBeNegative() {
    ObjectNode budget = created("{'minAvailable':1}");
    ObjectNode updated = budget.deepCopy();
    updated.with("status").put("disruptionsAllowed", -1).put("expectedPods", -2);

    assertThat(strategy.validateStatusUpdate(updated, budget).stream().map(FieldError::message)).containsExactly(
        "status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0",
        "status.expectedPods: Invalid value: -2: must be greater than or equal to 0");
  }
}
