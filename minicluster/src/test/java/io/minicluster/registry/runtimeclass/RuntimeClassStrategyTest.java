package io.minicluster.registry.runtimeclass;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class RuntimeClassStrategyTest {
  private final RuntimeClassStrategy strategy = new RuntimeClassStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void theHandlerIsADnsLabelThatStays() {
    ObjectNode runc = json("{'metadata':{'name':'runc'},'handler':'runc','overhead':{'podFixed':{'cpu':'250m'}},"
        + "'scheduling':{'nodeSelector':{'runtime':'runc'},'tolerations':[{'key':'k','operator':'Exists'}]}}");
    assertThat(strategy.validate(runc)).isEmpty();

    assertThat(strategy.validate(json("{'metadata':{'name':'bad'},'handler':'Not_A_Label','overhead':{'podFixed':"
        + "{'cpu':'-1'}}}"))).extracting(FieldError::message).containsExactly(
            "handler: Invalid value: \"Not_A_Label\": a lowercase RFC 1123 label must consist of lower case "
                + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            "overhead.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0");
    ObjectNode changed = runc.deepCopy().put("handler", "kata");
    assertThat(strategy.validateUpdate(changed, runc)).extracting(FieldError::message)
        .containsExactly("handler: Invalid value: \"kata\": field is immutable");
  }
}
