package io.minicluster.registry.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonSetStrategyTest {
  private final DaemonSetStrategy strategy = new DaemonSetStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String spec) {
    ObjectNode daemonSet = json("{'metadata':{'name':'agent','namespace':'default'},'spec':" + spec + "}");
    strategy.applyDefaults(daemonSet);
    strategy.prepareForCreate(daemonSet);
    return daemonSet;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  private static final String AGENT = "'selector':{'matchLabels':{'app':'agent'}},'template':{'metadata':{'labels':"
      + "{'app':'agent'}},'spec':{'containers':[{'name':'a','image':'busybox'}]}}";

  @Test
  void defaults() {
    ObjectNode daemonSet = created("{" + AGENT + "}");

    assertThat(daemonSet.at("/spec/updateStrategy")).isEqualTo(json("{'type':'RollingUpdate','rollingUpdate':"
        + "{'maxUnavailable':1,'maxSurge':0}}"));
    assertThat(daemonSet.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
    assertThat(daemonSet.get("status")).isEqualTo(json("{'currentNumberScheduled':0,'numberMisscheduled':0,"
        + "'desiredNumberScheduled':0,'numberReady':0}"));
    assertThat(strategy.validate(daemonSet)).isEmpty();
    assertThat(created("{'updateStrategy':{'type':'OnDelete'}," + AGENT + "}").at("/spec/updateStrategy"))
        .isEqualTo(json("{'type':'OnDelete'}"));
  }

  @Test
  void validationErrors() {
    assertThat(errors("{'selector':{'matchLabels':{'app':'other'}},'template':{'metadata':{'labels':"
        + "{'app':'agent'}},'spec':{'containers':[{'name':'a','image':'busybox'}]}}}")).containsExactly(
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"agent\"}: `selector` does not "
            + "match template `labels`");
    assertThat(errors("{'selector':{},'template':{'spec':{'activeDeadlineSeconds':5,'containers':"
        + "[{'name':'a','image':'busybox'}]}}}")).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset",
        "spec.template.spec.activeDeadlineSeconds: Invalid value: 5: activeDeadlineSeconds in DaemonSet is not "
            + "Supported");
    assertThat(errors("{'updateStrategy':{'rollingUpdate':{'maxUnavailable':0,'maxSurge':0}}," + AGENT + "}"))
        .containsExactly("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when "
            + "`maxSurge` is 0");
  }

  @Test
  void theSelectorIsImmutable() {
    ObjectNode old = created("{" + AGENT + "}");
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.at("/spec/selector/matchLabels")).put("tier", "node");
    ((ObjectNode) updated.at("/spec/template/metadata/labels")).put("tier", "node");

    assertThat(strategy.validateUpdate(updated, old)).extracting(FieldError::message).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"agent\", "
            + "\"tier\":\"node\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
  }
}
