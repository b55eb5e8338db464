package io.minicluster.registry.controllerrevision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class ControllerRevisionStrategyTest {
  private final ControllerRevisionStrategy strategy = new ControllerRevisionStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void dataIsMandatoryAndImmutableRevisionNonNegative() {
    assertThat(strategy.validate(json("{'metadata':{'name':'web-1'},'revision':-1}")))
        .extracting(FieldError::message).containsExactly("data: Required value: data is mandatory",
            "revision: Invalid value: -1: must be greater than or equal to 0");
    ObjectNode old = json("{'metadata':{'name':'web-1'},'revision':1,'data':{'spec':{'a':1}}}");
    assertThat(strategy.validate(old)).isEmpty();

    ObjectNode renumbered = old.deepCopy().put("revision", 3);
    assertThat(strategy.validateUpdate(renumbered, old)).isEmpty();
    ObjectNode changed = old.deepCopy();
    ((ObjectNode) changed.at("/data/spec")).put("a", 2);
    assertThat(strategy.validateUpdate(changed, old)).extracting(FieldError::message)
        .containsExactly("data: Invalid value: {\"spec\":{\"a\":2}}: field is immutable");
  }
}
