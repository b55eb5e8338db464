package io.minicluster.registry.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class PriorityClassStrategyTest {
  private final PriorityClassStrategy strategy = new PriorityClassStrategy();

  private ObjectNode priorityClass(String name, String fields) {
    ObjectNode priorityClass = Json.parseObject(("{'metadata':{'name':'" + name + "'}" + fields + "}")
        .replace('\'', '"'));
    strategy.applyDefaults(priorityClass);
    return priorityClass;
  }

  @Test
  void userClassesStayBelowTheSystemRangeAndSystemNamesAreReserved() {
    ObjectNode high = priorityClass("high", ",'value':1000000000");
    assertThat(high.get("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
    assertThat(strategy.validate(high)).isEmpty();
    assertThat(strategy.validate(priorityClass("system-cluster-critical", ",'value':2000000000"))).isEmpty();
    assertThat(strategy.validate(PriorityClassStrategy.systemClass("system-node-critical"))).isEmpty();

    assertThat(strategy.validate(priorityClass("higher", ",'value':1000000001,'preemptionPolicy':'Sometimes'")))
        .extracting(FieldError::message).containsExactly(
            "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
            "preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", "
                + "\"Never\"");
    assertThat(strategy.validate(priorityClass("system-mine", ",'value':5"))).extracting(FieldError::message)
        .containsExactly("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for "
            + "system use only. error: system-mine is not a known system priority class");
    assertThat(strategy.validate(priorityClass("system-node-critical", ",'value':5")))
        .extracting(FieldError::message).containsExactly("metadata.name: Forbidden: priority class names with "
            + "'system-' prefix are reserved for system use only. error: value of system-node-critical "
            + "PriorityClass must be 2000001000");
  }

  @Test
  void valueAndPreemptionPolicyMayNotChange() {
    ObjectNode old = priorityClass("high", ",'value':1000");
    ObjectNode changed = priorityClass("high", ",'value':1001,'preemptionPolicy':'Never'");
    assertThat(strategy.validateUpdate(changed, old)).extracting(FieldError::message).containsExactly(
        "value: Forbidden: may not be changed in an update.",
        "preemptionPolicy: Invalid value: \"Never\": field is immutable");
  }
}
