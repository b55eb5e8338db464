package io.minicluster.registry.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.replicationcontroller.ReplicationControllerStrategy;
import io.minicluster.server.Strategies;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentStrategyTest {
  private final DeploymentStrategy strategy = new DeploymentStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String spec) {
    ObjectNode deployment = json("{'metadata':{'name':'d','namespace':'default'},'spec':" + spec + "}");
    strategy.applyDefaults(deployment);
    strategy.prepareForCreate(deployment);
    return deployment;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  @Test
  void minimalDeploymentDefaults() {
    ObjectNode deployment = created("{'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':"
        + "{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx'}]}}}");
    assertThat(deployment.get("spec")).isEqualTo(json("{'selector':{'matchLabels':{'app':'web'}},'template':"
        + "{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx',"
        + "'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File',"
        + "'imagePullPolicy':'Always','resources':{}}],'dnsPolicy':'ClusterFirst','restartPolicy':'Always',"
        + "'securityContext':{},'terminationGracePeriodSeconds':30,'schedulerName':'default-scheduler'}},"
        + "'replicas':1,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':'25%',"
        + "'maxSurge':'25%'}},'revisionHistoryLimit':10,'progressDeadlineSeconds':600}"));
    assertThat(deployment.get("status").toString()).isEqualTo("{}");
    assertThat(strategy.validate(deployment)).isEmpty();
  }

  @Test
  void validationErrors() {
    String container = "'spec':{'containers':[{'name':'a','image':'a'}]}";
    assertThat(errors("{'selector':{'matchLabels':{'app':'x'}},'template':{'metadata':{'labels':{'app':'web'}},"
        + container + "}}")).containsExactly("spec.template.metadata.labels: Invalid value: "
        + "map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    assertThat(errors("{'replicas':-1,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':"
        + "[{'name':'a','image':'a'}],'restartPolicy':'Never'}}}")).containsExactly(
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.selector: Required value",
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    assertThat(errors("{'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
        + "'spec':{'containers':[{'name':'a'}]}},'strategy':{'rollingUpdate':{'maxSurge':0,'maxUnavailable':0}}}"))
        .containsExactly("spec.template.spec.containers[0].image: Required value",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");
  }

  @Test
  void selectorIsImmutable() {
    ObjectNode old = created("{'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':"
        + "{'app':'web','v':'1'}},'spec':{'containers':[{'name':'a','image':'a'}]}}}");
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.at("/spec/selector/matchLabels")).put("v", "1");
    assertThat(strategy.validateUpdate(updated, old)).extracting(FieldError::message).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"v\":\"1\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
  }

  @Test
  void replicationControllerTakesSelectorFromTemplate() {
    ReplicationControllerStrategy rc = new ReplicationControllerStrategy();
    ObjectNode controller = json("{'metadata':{'name':'r','namespace':'default'},'spec':{'template':{'metadata':"
        + "{'labels':{'app':'web'}},'spec':{'containers':[{'name':'a','image':'a'}]}}}}");
    rc.applyDefaults(controller);
    assertThat(controller.at("/spec/selector")).isEqualTo(json("{'app':'web'}"));
    assertThat(controller.at("/metadata/labels")).isEqualTo(json("{'app':'web'}"));
    assertThat(controller.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(rc.validate(controller)).isEmpty();
  }

  @Test
  void lookupFallsBackToDefault() {
    assertThat(Strategies.forType(ResourceTypes.DEPLOYMENTS)).isInstanceOf(DeploymentStrategy.class);
    assertThat(Strategies.forType(ResourceTypes.BINDINGS).getClass().getSimpleName()).isEqualTo("DefaultStrategy");
    assertThat(Strategies.forType(ResourceTypes.NAMESPACES).nameValidator().validate("a.b", false))
        .containsExactly("must not contain dots");
  }
}
