package io.minicluster.registry.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobStrategyTest {
  private final CronJobStrategy strategy = new CronJobStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private static final String JOB = "'jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':'OnFailure',"
      + "'containers':[{'name':'hello','image':'busybox'}]}}}}";

  private ObjectNode created(String name, String spec) {
    ObjectNode cronJob = json("{'metadata':{'name':'" + name + "','namespace':'default'},'spec':" + spec + "}");
    strategy.applyDefaults(cronJob);
    strategy.prepareForCreate(cronJob);
    return cronJob;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created("hello", spec)).stream().map(FieldError::message).toList();
  }

  @Test
  void defaults() {
    ObjectNode cronJob = created("hello", "{'schedule':'*/1 * * * *'," + JOB + "}");

    ObjectNode spec = (ObjectNode) cronJob.get("spec");
    assertThat(spec.get("concurrencyPolicy").asText()).isEqualTo("Allow");
    assertThat(spec.get("suspend").asBoolean()).isFalse();
    assertThat(spec.get("successfulJobsHistoryLimit").asInt()).isEqualTo(3);
    assertThat(spec.get("failedJobsHistoryLimit").asInt()).isEqualTo(1);
    // the job template keeps what the user wrote; its pods get the pod defaults
    assertThat(spec.at("/jobTemplate/spec/completions").isMissingNode()).isTrue();
    assertThat(spec.at("/jobTemplate/spec/template/spec/dnsPolicy").asText()).isEqualTo("ClusterFirst");
    assertThat(cronJob.get("status")).isEqualTo(json("{}"));
    assertThat(strategy.validate(cronJob)).isEmpty();
  }

  @Test
  void scheduleErrorsCarryTheCronParsersMessage() {
    assertThat(errors("{'schedule':'not a cron'," + JOB + "}")).containsExactly(
        "spec.schedule: Invalid value: \"not a cron\": expected exactly 5 fields, found 3: [not a cron]");
    assertThat(errors("{'schedule':'61 * * * *'," + JOB + "}")).containsExactly(
        "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
    assertThat(errors("{'schedule':''," + JOB + "}")).containsExactly("spec.schedule: Required value");
    assertThat(errors("{'schedule':'TZ=UTC 0 * * * *'," + JOB + "}")).containsExactly(
        "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone "
            + "field instead");
  }

  @Test
  void otherFieldErrors() {
    assertThat(errors("{'schedule':'@daily','timeZone':'Mars/Olympus','concurrencyPolicy':'Sometimes',"
        + "'startingDeadlineSeconds':-1,'successfulJobsHistoryLimit':-1," + JOB + "}")).containsExactly(
        "spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus",
        "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", "
            + "\"Replace\"",
        "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0");
    assertThat(errors("{'schedule':'@daily','timeZone':'Europe/Paris'," + JOB + "}")).isEmpty();
    assertThat(errors("{'schedule':'@daily','jobTemplate':{'spec':{'selector':{'matchLabels':{'a':'b'}},"
        + "'parallelism':-1,'template':{'spec':{'containers':[{'name':'a','image':'a'}]}}}}}")).containsExactly(
        "spec.jobTemplate.spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
        "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
        "spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated");
  }

  @Test
  void namesAreLimitedTo52CharactersOnCreateOnly() {
    String name = "a".repeat(53);
    ObjectNode cronJob = created(name, "{'schedule':'@daily'," + JOB + "}");

    assertThat(strategy.validate(cronJob)).extracting(FieldError::message).containsExactly(
        "metadata.name: Invalid value: \"" + name + "\": must be no more than 52 characters");
    assertThat(strategy.validateUpdate(cronJob, cronJob.deepCopy())).isEmpty();
  }
}
