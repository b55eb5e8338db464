package io.minicluster.registry.limitrange;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitRangeStrategyTest {
  private final LimitRangeStrategy strategy = new LimitRangeStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String limits) {
    ObjectNode range = json("{'metadata':{'name':'l','namespace':'default'},'spec':{'limits':" + limits + "}}");
    strategy.applyDefaults(range);
    return range;
  }

  private List<String> errors(String limits) {
    return strategy.validate(created(limits)).stream().map(FieldError::message).toList();
  }

  @Test
  void containerLimitsDefaultFromMaxDefaultAndMin() {
    ObjectNode range = created("[{'type':'Container','max':{'cpu':'2'},'min':{'memory':'64Mi'}},"
        + "{'type':'Pod','max':{'cpu':'4'}}]");

    assertThat(range.at("/spec/limits/0")).isEqualTo(json("{'type':'Container','max':{'cpu':'2'},"
        + "'min':{'memory':'64Mi'},'default':{'cpu':'2'},'defaultRequest':{'cpu':'2','memory':'64Mi'}}"));
    assertThat(range.at("/spec/limits/1")).isEqualTo(json("{'type':'Pod','max':{'cpu':'4'}}"));
    assertThat(strategy.validate(range)).isEmpty();
  }

  @Test
  void validationErrorsAsTheApiserverWritesThem() {
    assertThat(errors("[{'type':'Container','min':{'cpu':'2'},'max':{'cpu':'1'}}]")).contains(
        "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1");
    assertThat(errors("[{'type':'Pod','default':{'cpu':'1'}}]")).containsExactly(
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'");
    assertThat(errors("[{'type':'PersistentVolumeClaim','max':{'cpu':'1'}}]")).containsExactly(
        "spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither "
            + "was provided");
    assertThat(errors("[{'type':'Sometimes'}]")).containsExactly(
        "spec.limits[0].type: Invalid value: \"Sometimes\": must be a standard limit type or fully qualified");
    assertThat(errors("[{'type':'Pod'},{'type':'Pod'}]")).containsExactly(
        "spec.limits[1].type: Duplicate value: \"Pod\"");
    assertThat(errors("[{'type':'Pod','maxLimitRequestRatio':{'cpu':'500m'}}]")).containsExactly(
        "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"500m\": ratio 500m is less than 1");
  }
}
