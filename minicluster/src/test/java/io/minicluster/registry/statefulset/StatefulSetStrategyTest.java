package io.minicluster.registry.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import io.minicluster.testing.ApiErrors;
import io.minicluster.testing.InProcessApiTest;
import org.junit.jupiter.api.Test;

/** apps/v1 StatefulSets through the registry: defaults, validation, the fields an update may change, scale. */
class StatefulSetStrategyTest extends InProcessApiTest {
  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode create(String spec) {
    return client.create(ResourceTypes.STATEFUL_SETS, "default", json("{'metadata':{'name':'web'},'spec':" + spec
        + "}"));
  }

  private static final String WEB = "'selector':{'matchLabels':{'app':'web'}},'serviceName':'web','template':"
      + "{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx'}]}},"
      + "'volumeClaimTemplates':[{'metadata':{'name':'www'},'spec':{'accessModes':['ReadWriteOnce'],"
      + "'resources':{'requests':{'storage':'1Gi'}}}}]";

  @Test
  void defaults() {
    ObjectNode set = create("{" + WEB + "}");

    ObjectNode spec = (ObjectNode) set.get("spec");
    assertThat(spec.get("replicas").asInt()).isEqualTo(1);
    assertThat(spec.get("podManagementPolicy").asText()).isEqualTo("OrderedReady");
    assertThat(spec.get("updateStrategy")).isEqualTo(json("{'type':'RollingUpdate','rollingUpdate':"
        + "{'partition':0,'maxUnavailable':1}}"));
    assertThat(spec.get("revisionHistoryLimit").asInt()).isEqualTo(10);
    assertThat(spec.get("persistentVolumeClaimRetentionPolicy")).isEqualTo(json("{'whenDeleted':'Retain',"
        + "'whenScaled':'Retain'}"));
    assertThat(spec.at("/volumeClaimTemplates/0/spec/volumeMode").asText()).isEqualTo("Filesystem");
    assertThat(spec.at("/volumeClaimTemplates/0/status/phase").asText()).isEqualTo("Pending");
    assertThat(spec.at("/template/spec/restartPolicy").asText()).isEqualTo("Always");
    assertThat(set.get("status")).isEqualTo(json("{'replicas':0,'availableReplicas':0}"));
  }

  @Test
  void theTemplatesContainersMountTheClaimTemplatesButNoOtherMissingVolume() {
    String mounting = WEB.replace("'image':'nginx'}", "'image':'nginx','volumeMounts':[{'name':'www',"
        + "'mountPath':'/usr/share/nginx/html'}]}");
    ObjectNode set = create("{" + mounting + "}");
    // the stored template is left as written: the claim's volume is the controller's to add to each pod
    assertThat(set.at("/spec/template/spec/volumes").isMissingNode()).isTrue();

    assertThat(ApiErrors.invalid(() -> client.create(ResourceTypes.STATEFUL_SETS, "default", json(
        "{'metadata':{'name':'other'},'spec':{" + WEB.replace("'image':'nginx'}", "'image':'nginx',"
        + "'volumeMounts':[{'name':'logs','mountPath':'/logs'}]}") + "}}"))))
        .containsExactly("spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"logs\"");
  }

  @Test
  void aSelectorThatDoesNotMatchTheTemplateAndOtherErrors() {
    assertThat(ApiErrors.invalid(() -> create("{'selector':{'matchLabels':{'app':'db'}},'template':{'metadata':"
        + "{'labels':{'app':'web'}},'spec':{'containers':[{'name':'a','image':'a'}]}}}"))).containsExactly(
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not "
            + "match template `labels`");
    assertThat(ApiErrors.invalid(() -> create("{'replicas':-1,'podManagementPolicy':'Random','updateStrategy':"
        + "{'type':'Sometimes'},'persistentVolumeClaimRetentionPolicy':{'whenDeleted':'Keep'}," + WEB + "}")))
        .containsExactly(
            "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
            "spec.updateStrategy: Invalid value: \"Sometimes\": must be 'RollingUpdate' or 'OnDelete'",
            "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: "
                + "\"Retain\", \"Delete\"",
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    assertThat(ApiErrors.invalid(() -> create("{'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':"
        + "{'labels':{'app':'web'}},'spec':{'restartPolicy':'Never','containers':[{'name':'a','image':'a'}]}}}")))
        .containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: "
            + "\"Always\"");
  }

  @Test
  void onlyTheUpstreamFieldsMayChange() {
    create("{" + WEB + "}");

    ObjectNode updated = client.modify(ResourceTypes.STATEFUL_SETS, "default", "web", set -> {
      ObjectNode spec = (ObjectNode) set.get("spec");
      spec.put("replicas", 3).put("minReadySeconds", 5).put("revisionHistoryLimit", 2);
      ((ObjectNode) set.at("/spec/template/spec/containers/0")).put("image", "nginx:2");
      ((ObjectNode) set.at("/spec/updateStrategy/rollingUpdate")).put("partition", 1);
      return set;
    });
    assertThat(updated.at("/metadata/generation").asLong()).isEqualTo(2);

    assertThat(ApiErrors.invalid(() -> client.modify(ResourceTypes.STATEFUL_SETS, "default", "web", set -> {
      ((ObjectNode) set.get("spec")).put("serviceName", "other");
      return set;
    }))).containsExactly("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
        + "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
        + "and 'minReadySeconds' are forbidden");
    assertThat(ApiErrors.invalid(() -> client.modify(ResourceTypes.STATEFUL_SETS, "default", "web", set -> {
      ((ObjectNode) set.at("/spec/volumeClaimTemplates/0/spec/resources/requests")).put("storage", "2Gi");
      return set;
    }))).hasSize(1);
  }

  @Test
  void statusWritesKeepTheSpecAndTheScaleSubresourceWritesReplicas() {
    create("{" + WEB + "}");

    ObjectNode status = client.modifyStatus(ResourceTypes.STATEFUL_SETS, "default", "web", set -> {
      ((ObjectNode) set.get("status")).put("replicas", 1).put("readyReplicas", 1).put("availableReplicas", 1);
      ((ObjectNode) set.get("spec")).put("replicas", 7);
      return set;
    });
    assertThat(status.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(status.at("/status/readyReplicas").asInt()).isEqualTo(1);
    assertThat(ApiErrors.invalid(() -> client.modifyStatus(ResourceTypes.STATEFUL_SETS, "default", "web", set -> {
      ((ObjectNode) set.get("status")).put("readyReplicas", 2);
      return set;
    }))).containsExactly("status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas");

    ObjectNode scale = api.subresources().scale(ResourceTypes.STATEFUL_SETS).update("default", "web", s -> {
      ((ObjectNode) s.get("spec")).put("replicas", 3);
      return s;
    }, WriteOptions.DEFAULT);
    assertThat(scale.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(scale.at("/status/replicas").asInt()).isEqualTo(1);
    assertThat(scale.at("/status/selector").asText()).isEqualTo("app=web");
    ObjectNode set = client.get(ResourceTypes.STATEFUL_SETS, "default", "web");
    assertThat(set.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(set.at("/metadata/generation").asLong()).isEqualTo(2);
  }
}
