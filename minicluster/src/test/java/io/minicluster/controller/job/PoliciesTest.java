package io.minicluster.controller.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.batch.PodFailurePolicy;
import io.minicluster.api.batch.SuccessPolicy;
import io.minicluster.api.core.Pod;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoliciesTest {
  private static Pod failedPod(String containerStatuses, String conditions) {
    return Pod.from(Json.parseObject("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{},"
        + "\"status\":{\"phase\":\"Failed\",\"containerStatuses\":" + containerStatuses + ",\"conditions\":"
        + conditions + "}}"));
  }

  private static String exited(String container, int code) {
    return "{\"name\":\"" + container + "\",\"state\":{\"terminated\":{\"exitCode\":" + code + "}}}";
  }

  private static PodFailurePolicy policy(String rules) {
    return PodFailurePolicy.from(Json.parseObject("{\"rules\":" + rules + "}"));
  }

  @Test
  void rulesMatchInOrderOnExitCodesOfTheNamedOrAnyContainer() {
    PodFailurePolicy policy = policy("[{\"action\":\"Count\",\"onExitCodes\":{\"containerName\":\"side\","
        + "\"operator\":\"In\",\"values\":[1]}},"
        + "{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1,2]}}]");
    Policies.Match count = Policies.match(policy, failedPod("[" + exited("main", 1) + "," + exited("side", 1) + "]",
        "[]"));
    assertThat(count.action()).isEqualTo("Count");
    assertThat(count.counts()).isTrue();
    assertThat(count.failJobMessage()).isNull();

    Policies.Match fail = Policies.match(policy, failedPod("[" + exited("main", 7) + "]", "[]"));
    assertThat(fail.action()).isEqualTo("FailJob");
    assertThat(fail.failJobMessage())
        .isEqualTo("Container main for pod ns/p failed with exit code 7 matching FailJob rule at index 1");

    // exit code 0 never matches, nor does a rule whose codes are left out
    assertThat(Policies.match(policy, failedPod("[" + exited("main", 0) + "," + exited("x", 2) + "]", "[]")))
        .isEqualTo(Policies.Match.NONE);
  }

  @Test
  void podConditionRulesMatchTypeAndStatus() {
    PodFailurePolicy policy = policy("[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\","
        + "\"status\":\"True\"}]},{\"action\":\"FailJob\",\"onPodConditions\":[{\"type\":\"ConfigIssue\","
        + "\"status\":\"True\"}]}]");
    Policies.Match ignored = Policies.match(policy, failedPod("[]",
        "[{\"type\":\"DisruptionTarget\",\"status\":\"True\"}]"));
    assertThat(ignored.counts()).isFalse();
    assertThat(ignored.action()).isEqualTo("Ignore");
    assertThat(Policies.match(policy, failedPod("[]", "[{\"type\":\"DisruptionTarget\",\"status\":\"False\"}]")))
        .isEqualTo(Policies.Match.NONE);
    assertThat(Policies.match(policy, failedPod("[]", "[{\"type\":\"ConfigIssue\",\"status\":\"True\"}]"))
        .failJobMessage()).isEqualTo("Pod ns/p has condition ConfigIssue matching FailJob rule at index 1");
  }

  @Test
  void successRulesNeedTheirIndexesOrTheirCount() {
    SuccessPolicy policy = SuccessPolicy.from(Json.parseObject("{\"rules\":[{\"succeededIndexes\":\"0-3\","
        + "\"succeededCount\":3},{\"succeededCount\":5}]}"));
    assertThat(Policies.successMessage(policy, 10, CompletionIndexes.of(List.of(0, 1, 7)))).isNull();
    assertThat(Policies.successMessage(policy, 10, CompletionIndexes.of(List.of(0, 2, 3))))
        .isEqualTo("Matched rules at index 0");
    assertThat(Policies.successMessage(policy, 10, CompletionIndexes.of(List.of(5, 6, 7, 8, 9))))
        .isEqualTo("Matched rules at index 1");
    assertThat(Policies.successMessage(null, 10, CompletionIndexes.of(List.of(1)))).isNull();
  }
}
