package io.minicluster.registry.horizontalpodautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class HorizontalPodAutoscalerStrategyTest {
  private static final String TARGET = "'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'}";
  private final HorizontalPodAutoscalerStrategy strategy = new HorizontalPodAutoscalerStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String spec) {
    ObjectNode autoscaler = json("{'metadata':{'name':'web','namespace':'default'},'spec':" + spec + "}");
    strategy.applyDefaults(autoscaler);
    strategy.prepareForCreate(autoscaler);
    return autoscaler;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  @Test
  void defaultsAreMinReplicasOneAndEightyPercentCpu() {
    ObjectNode autoscaler = created("{" + TARGET + ",'maxReplicas':5}");

    assertThat(autoscaler.get("spec")).isEqualTo(json("{" + TARGET + ",'maxReplicas':5,'minReplicas':1,"
        + "'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization',"
        + "'averageUtilization':80}}}]}"));
    assertThat(autoscaler.get("status")).isEqualTo(json("{'desiredReplicas':0}"));
    assertThat(strategy.validate(autoscaler)).isEmpty();
  }

  @Test
  void aGivenBehaviorIsCompletedWithTheDefaultRules() {
    ObjectNode autoscaler = created("{" + TARGET + ",'maxReplicas':5,'behavior':{'scaleDown':"
        + "{'stabilizationWindowSeconds':15}}}");

    assertThat(autoscaler.at("/spec/behavior")).isEqualTo(json("{"
        + "'scaleDown':{'stabilizationWindowSeconds':15,'selectPolicy':'Max','policies':"
        + "[{'type':'Percent','value':100,'periodSeconds':15}]},"
        + "'scaleUp':{'stabilizationWindowSeconds':0,'selectPolicy':'Max','policies':"
        + "[{'type':'Pods','value':4,'periodSeconds':15},{'type':'Percent','value':100,'periodSeconds':15}]}}"));
    assertThat(created("{" + TARGET + ",'maxReplicas':5}").at("/spec/behavior").isMissingNode()).isTrue();
  }

  @Test
  void replicaBoundsAndTheTargetReference() {
    assertThat(errors("{" + TARGET + ",'minReplicas':0,'maxReplicas':0}")).containsExactly(
        "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
        "spec.maxReplicas: Invalid value: 0: must be greater than 0");
    assertThat(errors("{" + TARGET + ",'minReplicas':3,'maxReplicas':2}")).containsExactly(
        "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`");
    assertThat(errors("{'scaleTargetRef':{'kind':'','name':'a/b'},'maxReplicas':2}")).containsExactly(
        "spec.scaleTargetRef.kind: Required value",
        "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'");
  }

  @Test
  void metricsAreCheckedAsTheApiserverDoes() {
    assertThat(errors("{" + TARGET + ",'maxReplicas':2,'metrics':[{'type':'Resource','resource':{'name':'cpu',"
        + "'target':{'type':'Utilization','averageUtilization':0}}}]}")).containsExactly(
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0");
    assertThat(errors("{" + TARGET + ",'maxReplicas':2,'metrics':[{'type':'Resource','resource':{'name':'cpu',"
        + "'target':{'type':'Utilization'}}}]}")).containsExactly(
        "spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or "
            + "a target utilization");
    assertThat(errors("{" + TARGET + ",'maxReplicas':2,'metrics':[{'type':'Resource','resource':{'name':'memory',"
        + "'target':{'type':'Average','averageValue':'-1','averageUtilization':5}}}]}")).containsExactly(
        "spec.metrics[0].resource.target.type: Invalid value: \"Average\": must be either Utilization, Value, or "
            + "AverageValue",
        "spec.metrics[0].resource.target.averageValue: Invalid value: \"-1\": must be positive",
        "spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target "
            + "utilization");
    assertThat(errors("{" + TARGET + ",'maxReplicas':2,'metrics':[{'type':'Foo'}]}")).containsExactly(
        "spec.metrics[0].type: Unsupported value: \"Foo\": supported values: \"Object\", \"Pods\", \"Resource\", "
            + "\"External\", \"ContainerResource\"",
        "spec.metrics[0].: Required value: must populate information for the given metric source");
    assertThat(errors("{" + TARGET + ",'maxReplicas':2,'metrics':[{'type':'Resource','resource':{'name':'cpu',"
        + "'target':{'type':'Utilization','averageUtilization':5}},'pods':{}}]}")).containsExactly(
        "spec.metrics[0].pods: Forbidden: must populate the given metric source only");
  }

  @Test
  void behaviorRules() {
    assertThat(errors("{" + TARGET + ",'maxReplicas':2,'behavior':{'scaleUp':{'stabilizationWindowSeconds':3601,"
        + "'selectPolicy':'Most','policies':[{'type':'Nodes','value':0,'periodSeconds':1801}]}}}")).containsExactly(
        "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600",
        "spec.behavior.scaleUp.selectPolicy: Unsupported value: \"Most\": supported values: \"Disabled\", \"Max\", "
            + "\"Min\"",
        "spec.behavior.scaleUp.policies[0].type: Unsupported value: \"Nodes\": supported values: \"Percent\", "
            + "\"Pods\"",
        "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
        "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800");
  }

  @Test
  void statusCountsMayNotBeNegative() {
    ObjectNode autoscaler = created("{" + TARGET + ",'maxReplicas':2}");
    ObjectNode updated = autoscaler.deepCopy();
    updated.set("status", json("{'currentReplicas':-1,'desiredReplicas':1}"));

    assertThat(strategy.validateStatusUpdate(updated, autoscaler).stream().map(FieldError::message)).containsExactly(
        "status.currentReplicas: Invalid value: -1: must be greater than or equal to 0");
  }
}
