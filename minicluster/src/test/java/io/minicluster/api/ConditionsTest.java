package io.minicluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final String NOW = "2025-01-02T03:04:05Z";
  private static final String EARLIER = "2024-12-31T00:00:00Z";

  private static ObjectNode status(String json) {
    return Json.parseObject(json);
  }

  @Test
  void findsTheFirstConditionOfAType() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},"
        + "{\"type\":\"PodScheduled\",\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"False\"}]}");

    assertThat(Conditions.get(status, "Ready").get("status").asText()).isEqualTo("True");
    assertThat(Conditions.find(status.get("conditions"), "PodScheduled").get("status").asText()).isEqualTo("False");
    assertThat(Conditions.get(status, "Initialized")).isNull();
  }

  @Test
  void findsNothingWithoutAConditionsArray() {
    assertThat(Conditions.get(null, "Ready")).isNull();
    assertThat(Conditions.get(status("{}"), "Ready")).isNull();
    assertThat(Conditions.get(status("{\"conditions\":null}"), "Ready")).isNull();
    assertThat(Conditions.get(status("{\"conditions\":{\"type\":\"Ready\"}}"), "Ready")).isNull();
    assertThat(Conditions.find(null, "Ready")).isNull();
  }

  @Test
  void keepsTheTransitionTimeWhileTheStatusStaysTheSame() {
    JsonNode previous = status("{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"" + EARLIER + "\"}");

    assertThat(Conditions.transitionTime(previous, "True", NOW)).isEqualTo(EARLIER);
  }

  @Test
  void stampsNowWhenTheStatusFlips() {
    JsonNode previous = status("{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"" + EARLIER + "\"}");

    assertThat(Conditions.transitionTime(previous, "False", NOW)).isEqualTo(NOW);
  }

  @Test
  void stampsNowForANewConditionOrOneWithoutATime() {
    assertThat(Conditions.transitionTime(null, "True", NOW)).isEqualTo(NOW);
    assertThat(Conditions.transitionTime(status("{\"type\":\"Ready\",\"status\":\"True\"}"), "True", NOW))
        .isEqualTo(NOW);
    assertThat(Conditions.transitionTime(
        status("{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":null}"), "True", NOW)).isEqualTo(NOW);
    assertThat(Conditions.transitionTime(
        status("{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"\"}"), "True", NOW)).isEqualTo(NOW);
  }

  @Test
  void removesEveryConditionOfATypeAndTheArrayWhenEmpty() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"Progressing\"},{\"type\":\"Available\"},"
        + "{\"type\":\"Progressing\"}]}");

    Conditions.remove(status, "Progressing");
    assertThat(Json.string(status)).isEqualTo("{\"conditions\":[{\"type\":\"Available\"}]}");

    Conditions.remove(status, "Available");
    assertThat(Json.string(status)).isEqualTo("{}");
  }

  @Test
  void removingFromAStatusWithoutConditionsChangesNothing() {
    ObjectNode status = status("{\"replicas\":1}");

    Conditions.remove(status, "Progressing");

    assertThat(Json.string(status)).isEqualTo("{\"replicas\":1}");
  }

  @Test
  void settingReplacesTheConditionOfItsTypeAtTheEndKeepingTheTransitionWhileTheStatusStays() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"Progressing\",\"status\":\"True\","
        + "\"lastTransitionTime\":\"" + EARLIER + "\",\"reason\":\"NewReplicaSetCreated\"},"
        + "{\"type\":\"Available\",\"status\":\"True\"}]}");

    Conditions.set(status, status("{\"type\":\"Progressing\",\"status\":\"True\",\"lastTransitionTime\":\""
        + NOW + "\",\"reason\":\"ReplicaSetUpdated\"}"));

    assertThat(Json.string(status)).isEqualTo("{\"conditions\":[{\"type\":\"Available\",\"status\":\"True\"},"
        + "{\"type\":\"Progressing\",\"status\":\"True\",\"lastTransitionTime\":\"" + EARLIER + "\","
        + "\"reason\":\"ReplicaSetUpdated\"}]}");
  }

  @Test
  void settingAFlippedOrNewConditionStampsTheTimeItCarries() {
    ObjectNode status = status("{\"replicas\":1,\"conditions\":[{\"type\":\"Available\",\"status\":\"True\","
        + "\"lastTransitionTime\":\"" + EARLIER + "\"}]}");

    Conditions.set(status, status("{\"type\":\"Available\",\"status\":\"False\",\"lastTransitionTime\":\""
        + NOW + "\"}"));
    Conditions.set(status, status("{\"type\":\"ReplicaFailure\",\"status\":\"True\",\"lastTransitionTime\":\""
        + NOW + "\"}"));

    assertThat(Json.string(status)).isEqualTo("{\"replicas\":1,\"conditions\":["
        + "{\"type\":\"Available\",\"status\":\"False\",\"lastTransitionTime\":\"" + NOW + "\"},"
        + "{\"type\":\"ReplicaFailure\",\"status\":\"True\",\"lastTransitionTime\":\"" + NOW + "\"}]}");
  }

  @Test
  void settingNeedsATypeAStatusAndATime() {
    ObjectNode status = status("{}");

    assertThatNullPointerException().isThrownBy(() -> Conditions.set(status, status("{\"status\":\"True\","
        + "\"lastTransitionTime\":\"" + NOW + "\"}"))).withMessage("condition has no type");
    assertThatNullPointerException().isThrownBy(() -> Conditions.set(status, status("{\"type\":\"Ready\","
        + "\"status\":\"True\"}"))).withMessage("condition has no lastTransitionTime");
    assertThat(Json.string(status)).isEqualTo("{}");
  }

  @Test
  void replaceKeepsThePlaceOfTheConditionAndItsTimeWhileTheStatusStays() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"A\",\"status\":\"True\",\"lastTransitionTime\":\""
        + EARLIER + "\"},{\"type\":\"B\",\"status\":\"True\",\"lastTransitionTime\":\"" + EARLIER + "\"}]}");

    Conditions.replace(status, status("{\"type\":\"A\",\"status\":\"True\",\"reason\":\"R\",\"lastTransitionTime\":\""
        + NOW + "\"}"));
    Conditions.replace(status, status("{\"type\":\"C\",\"status\":\"False\",\"lastTransitionTime\":\"" + NOW + "\"}"));

    assertThat(status).isEqualTo(Json.parseObject("{\"conditions\":[{\"type\":\"A\",\"status\":\"True\",\"reason\":\"R\","
        + "\"lastTransitionTime\":\"" + EARLIER + "\"},{\"type\":\"B\",\"status\":\"True\",\"lastTransitionTime\":\""
        + EARLIER + "\"},{\"type\":\"C\",\"status\":\"False\",\"lastTransitionTime\":\"" + NOW + "\"}]}"));
  }

  @Test
  void replaceStampsTheTimeItCarriesWhenTheStatusFlips() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"A\",\"status\":\"True\",\"lastTransitionTime\":\""
        + EARLIER + "\"}]}");

    Conditions.replace(status, status("{\"type\":\"A\",\"status\":\"False\",\"lastTransitionTime\":\"" + NOW + "\"}"));

    assertThat(Conditions.get(status, "A").get("lastTransitionTime").asText()).isEqualTo(NOW);
    assertThat(status.get("conditions")).hasSize(1);
  }

  private static ObjectNode podScheduled(String status, String reason, String message) {
    ObjectNode condition = Json.object();
    condition.put("type", "PodScheduled");
    condition.put("status", status);
    condition.putNull("lastProbeTime");
    condition.put("lastTransitionTime", NOW);
    condition.put("reason", reason);
    condition.put("message", message);
    return condition;
  }

  @Test
  void updateReplacesTheConditionWhereItStands() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
        + "\"lastTransitionTime\":\"" + EARLIER + "\",\"reason\":\"Unschedulable\",\"message\":\"no\"},"
        + "{\"type\":\"Ready\",\"status\":\"False\"}]}");

    boolean changed = Conditions.update(status, podScheduled("True", "", ""));

    assertThat(changed).isTrue();
    assertThat(status.get("conditions")).hasSize(2);
    assertThat(status.at("/conditions/0/type").asText()).isEqualTo("PodScheduled");
    assertThat(status.at("/conditions/0/status").asText()).isEqualTo("True");
    assertThat(status.at("/conditions/0/lastTransitionTime").asText()).isEqualTo(NOW);
    assertThat(status.at("/conditions/0/reason").asText()).isEmpty();
    assertThat(status.at("/conditions/1/type").asText()).isEqualTo("Ready");
  }

  @Test
  void updateKeepsTheTransitionTimeAndReportsNoChangeWhenNothingButTimesDiffer() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
        + "\"lastTransitionTime\":\"" + EARLIER + "\",\"reason\":\"Unschedulable\",\"message\":\"no\"}]}");

    boolean changed = Conditions.update(status, podScheduled("False", "Unschedulable", "no"));

    assertThat(changed).isFalse();
    assertThat(status.at("/conditions/0/lastTransitionTime").asText()).isEqualTo(EARLIER);
  }

  @Test
  void updateReportsANewMessageButKeepsTheTransitionTime() {
    ObjectNode status = status("{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
        + "\"lastTransitionTime\":\"" + EARLIER + "\",\"reason\":\"Unschedulable\",\"message\":\"no\"}]}");

    boolean changed = Conditions.update(status, podScheduled("False", "Unschedulable", "still no"));

    assertThat(changed).isTrue();
    assertThat(status.at("/conditions/0/message").asText()).isEqualTo("still no");
    assertThat(status.at("/conditions/0/lastTransitionTime").asText()).isEqualTo(EARLIER);
  }

  @Test
  void updateAppendsAMissingCondition() {
    ObjectNode status = status("{}");

    boolean changed = Conditions.update(status, podScheduled("False", "SchedulingGated", "gated"));

    assertThat(changed).isTrue();
    assertThat(status.get("conditions")).hasSize(1);
    assertThat(status.at("/conditions/0/lastTransitionTime").asText()).isEqualTo(NOW);
  }

  @Test
  void updateRequiresTypeStatusAndTime() {
    assertThatNullPointerException()
        .isThrownBy(() -> Conditions.update(status("{}"), status("{\"status\":\"True\"}")))
        .withMessage("condition has no type");
  }
}
