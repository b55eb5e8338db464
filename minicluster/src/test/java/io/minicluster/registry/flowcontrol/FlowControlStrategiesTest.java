package io.minicluster.registry.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowControlStrategiesTest {
  private static ObjectNode object(String spec) {
    return Json.parseObject(("{'metadata':{'name':'x'},'spec':" + spec + "}").replace('\'', '"'));
  }

  private static List<String> errors(Strategy strategy, ObjectNode object) {
    strategy.applyDefaults(object);
    return strategy.validate(object).stream().map(FieldError::message).toList();
  }

  @Test
  void flowSchemasDefaultTheirPrecedenceAndNeedAPriorityLevel() {
    Strategy schemas = FlowControlStrategies.flowSchemas();
    ObjectNode schema = object("{'priorityLevelConfiguration':{'name':'global-default'}}");
    assertThat(errors(schemas, schema)).isEmpty();
    assertThat(schema.at("/spec/matchingPrecedence").asInt()).isEqualTo(1000);
    assertThat(errors(schemas, object("{'matchingPrecedence':10001,'distinguisherMethod':{'type':'ByPod'}}")))
        .containsExactly("spec.matchingPrecedence: Invalid value: 10001: must not be greater than 10000",
            "spec.distinguisherMethod.type: Unsupported value: \"ByPod\": supported values: \"ByNamespace\", "
                + "\"ByUser\"",
            "spec.priorityLevelConfiguration.name: Required value: must reference a priority level");
  }

  @Test
  void priorityLevelsDefaultTheirQueuesAndCheckTheUnion() {
    Strategy levels = FlowControlStrategies.priorityLevelConfigurations();
    ObjectNode level = object("{'type':'Limited','limited':{'limitResponse':{'type':'Queue','queuing':{}}}}");
    assertThat(errors(levels, level)).isEmpty();
    assertThat(level.at("/spec/limited")).isEqualTo(Json.parseObject(("{'nominalConcurrencyShares':30,"
        + "'lendablePercent':0,'limitResponse':{'type':'Queue','queuing':{'queues':64,'handSize':8,"
        + "'queueLengthLimit':50}}}").replace('\'', '"')));
    assertThat(errors(levels, object("{'type':'Limited'}")))
        .containsExactly("spec.limited: Required value: must not be empty when type is Limited");
    assertThat(errors(levels, object("{'type':'Sometimes'}")))
        .containsExactly("spec.type: Unsupported value: \"Sometimes\": supported values: \"Exempt\", \"Limited\"");
  }
}
