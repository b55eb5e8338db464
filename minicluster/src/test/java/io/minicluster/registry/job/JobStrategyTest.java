package io.minicluster.registry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.testing.ApiErrors;
import io.minicluster.testing.InProcessApiTest;
import org.junit.jupiter.api.Test;

/** batch/v1 Jobs through the registry: defaults, the generated selector, validation, immutability, status. */
class JobStrategyTest extends InProcessApiTest {
  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode create(String spec) {
    return client.create(ResourceTypes.JOBS, "default", json("{'metadata':{'name':'pi'},'spec':" + spec + "}"));
  }

  private static final String TEMPLATE = "'template':{'spec':{'restartPolicy':'Never','containers':"
      + "[{'name':'pi','image':'busybox'}]}}";

  @Test
  void aMinimalJobGetsUpstreamsDefaultsAndAGeneratedSelector() {
    ObjectNode job = create("{" + TEMPLATE + "}");

    String uid = Meta.uid(job);
    ObjectNode spec = (ObjectNode) job.get("spec");
    assertThat(spec.get("completions").asInt()).isEqualTo(1);
    assertThat(spec.get("parallelism").asInt()).isEqualTo(1);
    assertThat(spec.get("backoffLimit").asInt()).isEqualTo(6);
    assertThat(spec.get("completionMode").asText()).isEqualTo("NonIndexed");
    assertThat(spec.get("suspend").asBoolean()).isFalse();
    assertThat(spec.get("manualSelector").asBoolean()).isFalse();
    assertThat(spec.get("podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
    assertThat(spec.get("selector")).isEqualTo(json("{'matchLabels':{'batch.kubernetes.io/controller-uid':'" + uid
        + "'}}"));
    ObjectNode labels = json("{'batch.kubernetes.io/controller-uid':'" + uid + "','batch.kubernetes.io/job-name':'pi',"
        + "'controller-uid':'" + uid + "','job-name':'pi'}");
    assertThat(job.at("/spec/template/metadata/labels")).isEqualTo(labels);
    assertThat(job.at("/metadata/labels")).isEqualTo(labels);
    assertThat(job.get("status")).isEqualTo(json("{}"));
    assertThat(job.at("/metadata/generation").asLong()).isEqualTo(1);
  }

  @Test
  void aJobTakingItsTemplatesLabelsAlsoGetsTheGeneratedOnes() {
    ObjectNode job = create("{'template':{'metadata':{'labels':{'app':'pi'}},'spec':{'restartPolicy':'Never',"
        + "'containers':[{'name':'pi','image':'busybox'}]}}}");

    assertThat(job.at("/metadata/labels")).isEqualTo(job.at("/spec/template/metadata/labels"));
    assertThat(job.at("/metadata/labels/app").asText()).isEqualTo("pi");
    assertThat(job.at("/metadata/labels/job-name").asText()).isEqualTo("pi");
  }

  @Test
  void parallelismAloneLeavesCompletionsUnsetAndOwnLabelsStay() {
    ObjectNode job = client.create(ResourceTypes.JOBS, "default", json("{'metadata':{'name':'work','labels':"
        + "{'app':'w'}},'spec':{'parallelism':3," + TEMPLATE + "}}"));

    assertThat(job.at("/spec/completions").isMissingNode()).isTrue();
    assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(3);
    assertThat(job.at("/metadata/labels")).isEqualTo(json("{'app':'w'}"));
  }

  @Test
  void invalidSpecsAreRejectedWithTheirFieldPaths() {
    assertThat(ApiErrors.invalid(() -> create("{'parallelism':-1,'completions':-2,'backoffLimit':-3," + TEMPLATE
        + "}"))).containsExactly(
        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
        "spec.completions: Invalid value: -2: must be greater than or equal to 0",
        "spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0");
    assertThat(ApiErrors.invalid(() -> create("{'template':{'spec':{'containers':[{'name':'a','image':'a'}]}}}")))
        .containsExactly("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
    assertThat(ApiErrors.invalid(() -> create("{'completionMode':'Indexed','parallelism':2," + TEMPLATE + "}")))
        .containsExactly("spec.completions: Required value: when completion mode is Indexed");
    assertThat(ApiErrors.invalid(() -> create("{'completionMode':'Sometimes'," + TEMPLATE + "}")))
        .containsExactly("spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", "
            + "\"Indexed\"");
  }

  @Test
  void aSelectorTheUserWroteMustStillBeTheGeneratedOneUnlessManual() {
    assertThat(ApiErrors.invalid(() -> create("{'selector':{'matchLabels':{'app':'x'}},'template':{'metadata':"
        + "{'labels':{'app':'x'}},'spec':{'restartPolicy':'Never','containers':[{'name':'a','image':'a'}]}}}")))
        .singleElement().asString()
        .startsWith("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\", "
            + "\"batch.kubernetes.io/controller-uid\":")
        .endsWith("`selector` not auto-generated");
  }

  @Test
  void aManualSelectorMustMatchTheTemplate() {
    assertThat(ApiErrors.invalid(() -> create("{'manualSelector':true,'selector':{'matchLabels':{'app':'x'}},"
        + "'template':{'metadata':{'labels':{'app':'y'}},'spec':{'restartPolicy':'Never','containers':"
        + "[{'name':'a','image':'a'}]}}}"))).containsExactly("spec.template.metadata.labels: Invalid value: "
        + "map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`");
    ObjectNode job = create("{'manualSelector':true,'selector':{'matchLabels':{'app':'x'}},"
        + "'template':{'metadata':{'labels':{'app':'x'}},'spec':{'restartPolicy':'Never','containers':"
        + "[{'name':'a','image':'a'}]}}}");
    assertThat(job.at("/spec/template/metadata/labels")).isEqualTo(json("{'app':'x'}"));
  }

  @Test
  void templateSelectorAndCompletionsAreImmutableParallelismIsNot() {
    create("{" + TEMPLATE + "}");

    assertThat(ApiErrors.invalid(() -> client.modify(ResourceTypes.JOBS, "default", "pi", job -> {
      ((ObjectNode) job.at("/spec/template/spec/containers/0")).put("image", "other");
      ((ObjectNode) job.get("spec")).put("completions", 5);
      return job;
    }))).containsExactly("spec.completions: Invalid value: 5: field is immutable",
        "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable");

    ObjectNode scaled = client.modify(ResourceTypes.JOBS, "default", "pi", job -> {
      ((ObjectNode) job.get("spec")).put("parallelism", 4);
      return job;
    });
    assertThat(scaled.at("/spec/parallelism").asInt()).isEqualTo(4);
    assertThat(scaled.at("/metadata/generation").asLong()).isEqualTo(2);
  }

  @Test
  void aSuspendedJobMayChangeItsSchedulingDirectives() {
    create("{'suspend':true," + TEMPLATE + "}");

    ObjectNode changed = client.modify(ResourceTypes.JOBS, "default", "pi", job -> {
      ((ObjectNode) job.at("/spec/template/spec")).putObject("nodeSelector").put("disk", "ssd");
      return job;
    });

    assertThat(changed.at("/spec/template/spec/nodeSelector/disk").asText()).isEqualTo("ssd");
  }

  @Test
  void statusAndSpecWritesKeepEachOther() {
    create("{" + TEMPLATE + "}");

    ObjectNode afterStatus = client.modifyStatus(ResourceTypes.JOBS, "default", "pi", job -> {
      ((ObjectNode) job.get("status")).put("active", 1);
      ((ObjectNode) job.get("spec")).put("parallelism", 9);
      return job;
    });
    assertThat(afterStatus.at("/status/active").asInt()).isEqualTo(1);
    assertThat(afterStatus.at("/spec/parallelism").asInt()).isEqualTo(1);
    assertThat(afterStatus.at("/metadata/generation").asLong()).isEqualTo(1);

    ObjectNode afterSpec = client.modify(ResourceTypes.JOBS, "default", "pi", job -> {
      ((ObjectNode) job.get("status")).put("active", 7);
      ((ObjectNode) job.get("spec")).put("parallelism", 2);
      return job;
    });
    assertThat(afterSpec.at("/status/active").asInt()).isEqualTo(1);
    assertThat(afterSpec.at("/spec/parallelism").asInt()).isEqualTo(2);
    assertThat(afterSpec.at("/metadata/generation").asLong()).isEqualTo(2);

    assertThat(ApiErrors.invalid(() -> client.modifyStatus(ResourceTypes.JOBS, "default", "pi", job -> {
      ((ObjectNode) job.get("status")).put("active", 0).put("succeeded", -1);
      return job;
    }))).containsExactly("status.succeeded: Invalid value: -1: must be greater than or equal to 0",
        "status.succeeded: Invalid value: -1: cannot decrease the succeeded counter");
  }
}
