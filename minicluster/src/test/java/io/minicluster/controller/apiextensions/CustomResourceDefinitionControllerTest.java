package io.minicluster.controller.apiextensions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Conditions;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class CustomResourceDefinitionControllerTest extends ClusterTest {
  private static ObjectNode crd(String plural, String kind, String shortName) {
    return Json.parseObject("""
        {"metadata":{"name":"%s.stable.example.com"},
         "spec":{"group":"stable.example.com","scope":"Namespaced",
          "names":{"plural":"%s","kind":"%s","shortNames":["%s"]},
          "versions":[{"name":"v1","served":true,"storage":true,
           "schema":{"openAPIV3Schema":{"type":"object"}}}]}}""".formatted(plural, plural, kind, shortName));
  }

  private JsonNode condition(String name, String type) {
    return Conditions.get(client.get(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, name).get("status"), type);
  }

  @Test
  void namesAreAcceptedUnlessAnotherDefinitionOfTheGroupHasThem() {
    cluster.run("customresourcedefinition", 1, queue -> new CustomResourceDefinitionController(client,
        cluster.informers(), queue, Clock.systemUTC()));
    client.create(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, crd("crontabs", "CronTab", "ct"));
    Eventually.assertThat(() -> {
      JsonNode established = condition("crontabs.stable.example.com", "Established");
      assertThat(established).isNotNull();
      assertThat(established.get("reason").asText()).isEqualTo("InitialNamesAccepted");
    });
    JsonNode status = client.get(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, "crontabs.stable.example.com")
        .get("status");
    assertThat(status.get("acceptedNames").toString()).isEqualTo("{\"plural\":\"crontabs\",\"singular\":\"crontab\","
        + "\"shortNames\":[\"ct\"],\"kind\":\"CronTab\",\"listKind\":\"CronTabList\"}");
    assertThat(Conditions.get(status, "NamesAccepted").get("message").asText()).isEqualTo("no conflicts found");

    client.create(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, crd("crontables", "CronTable", "ct"));
    Eventually.assertThat(() -> {
      JsonNode accepted = condition("crontables.stable.example.com", "NamesAccepted");
      assertThat(accepted).isNotNull();
      assertThat(accepted.get("status").asText()).isEqualTo("False");
      assertThat(accepted.get("reason").asText()).isEqualTo("ShortNamesConflict");
      assertThat(accepted.get("message").asText()).isEqualTo("\"ct\" is already in use");
      assertThat(condition("crontables.stable.example.com", "Established").get("reason").asText())
          .isEqualTo("NotAccepted");
    });
    // names only count once accepted: the definition holding "ct" keeps it, the other gets no accepted names
    assertThat(condition("crontabs.stable.example.com", "NamesAccepted").get("reason").asText())
        .isEqualTo("NoConflicts");
    assertThat(client.get(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, "crontables.stable.example.com")
        .at("/status/acceptedNames").isMissingNode()).isTrue();

    // the conflict gone, the names are accepted
    client.modify(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, "crontables.stable.example.com", crd -> {
      ((ObjectNode) crd.at("/spec/names")).putArray("shortNames").add("ctb");
      return crd;
    });
    Eventually.assertThat(() -> assertThat(condition("crontables.stable.example.com", "Established")
        .get("status").asText()).isEqualTo("True"));
    assertThat(condition("crontables.stable.example.com", "NamesAccepted").get("reason").asText())
        .isEqualTo("NoConflicts");
  }
}
