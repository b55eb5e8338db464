package io.minicluster.apiserver;

import static io.minicluster.apiserver.EndpointsHarness.json;
import static io.minicluster.apiserver.EndpointsHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.json.Json;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CustomResourceDefinitions and the custom resources of an established one, through {@link EndpointsHarness}: the
 * definition's validation and status on create, then every verb of its resources in two versions (conversion None),
 * the status and scale subresources, the refused strategic merge patch, and no creates while it terminates.
 */
class CustomResourceEndpointsTest {
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final String V1 = "/apis/stable.example.com/v1/namespaces/default/crontabs";
  private static final String V1BETA1 = "/apis/stable.example.com/v1beta1/namespaces/default/crontabs";
  private static final String SCHEMA = "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\","
      + "\"x-kubernetes-preserve-unknown-fields\":true}}";
  private static final String CRD = """
      {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
       "metadata":{"name":"crontabs.stable.example.com"},
       "spec":{"group":"stable.example.com","scope":"Namespaced",
        "names":{"plural":"crontabs","kind":"CronTab","shortNames":["ct"]},
        "versions":[
         {"name":"v1","served":true,"storage":true,%s,
          "subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas",
            "statusReplicasPath":".status.replicas","labelSelectorPath":".status.selector"}}},
         {"name":"v1beta1","served":true,"storage":false,%s,"subresources":{"status":{}}}]}}"""
      .formatted(SCHEMA, SCHEMA);
  private static final String CRON_TAB = """
      {"apiVersion":"stable.example.com/v1","kind":"CronTab",
       "metadata":{"name":"my-cron","labels":{"app":"cron"}},
       "spec":{"cronSpec":"* * * * */5","replicas":2},"status":{"replicas":7}}""";

  @TempDir
  Path directory;

  private EndpointsHarness api;

  @BeforeEach
  void open() {
    api = new EndpointsHarness(directory);
  }

  @AfterEach
  void close() {
    api.close();
  }

  private JsonNode send(HttpMethod method, String uri, String contentType, String body, int status) {
    ApiResponse response = api.send(method, uri, contentType, body);
    assertThat(response.status()).as(text(response)).isEqualTo(status);
    return json(response);
  }

  /** Creates the definition and serves it as the controller's Established condition would. */
  private ObjectNode establish(String crd) {
    ObjectNode created = (ObjectNode) send(HttpMethod.POST, CRDS, "application/json", crd, 201);
    ObjectNode established = created.deepCopy();
    ObjectNode condition = Json.object().put("type", "Established").put("status", "True");
    Json.with(established, "status").putArray("conditions").add(condition);
    api.customResources().update(CustomResourceDefinition.of(established));
    return created;
  }

  @Test
  void servedGroupVersionsIncludeTheCustomResourcesForTheirApiServices() {
    Discovery discovery = new Discovery(() -> "127.0.0.1:6443", api.customResources());
    assertThat(discovery.groupVersions()).doesNotContain("stable.example.com/v1");
    establish(CRD);
    assertThat(discovery.groupVersions()).contains("v1", "apps/v1", "stable.example.com/v1",
        "stable.example.com/v1beta1");
  }

  @Test
  void definitionGetsDefaultsAndItsStorageVersionStored() {
    JsonNode created = establish(CRD);
    assertThat(created.at("/spec/names/singular").asText()).isEqualTo("crontab");
    assertThat(created.at("/spec/names/listKind").asText()).isEqualTo("CronTabList");
    assertThat(created.at("/spec/conversion/strategy").asText()).isEqualTo("None");
    assertThat(created.at("/status/storedVersions").toString()).isEqualTo("[\"v1\"]");
  }

  @Test
  void invalidDefinitionIsRefusedWithTheFieldErrors() {
    String invalid = CRD.replace("crontabs.stable.example.com", "tabs.stable.example.com")
        .replace("\"storage\":false", "\"storage\":true");
    JsonNode status = send(HttpMethod.POST, CRDS, "application/json", invalid, 422);
    assertThat(status.get("message").asText()).endsWith("\"tabs.stable.example.com\" is invalid: [metadata.name: Invalid value: \"tabs.stable.example.com\": must "
        + "be spec.names.plural+\".\"+spec.group, spec.versions: Invalid value: \"[v1, v1beta1]\": must have exactly "
        + "one version marked as storage version]");
  }

  @Test
  void resourcesAreServedInEveryVersionFromTheStorageVersion() {
    establish(CRD);
    JsonNode created = send(HttpMethod.POST, V1, "application/json", CRON_TAB, 201);
    assertThat(created.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(created.has("status")).as("status is reset on create").isFalse();

    JsonNode beta = send(HttpMethod.GET, V1BETA1 + "/my-cron", null, null, 200);
    assertThat(beta.get("apiVersion").asText()).isEqualTo("stable.example.com/v1beta1");
    assertThat(beta.at("/spec/cronSpec").asText()).isEqualTo("* * * * */5");

    JsonNode list = send(HttpMethod.GET, V1BETA1, null, null, 200);
    assertThat(list.get("kind").asText()).isEqualTo("CronTabList");
    assertThat(list.at("/items/0/apiVersion").asText()).isEqualTo("stable.example.com/v1beta1");
    assertThat(send(HttpMethod.GET, "/apis/stable.example.com/v1/crontabs", null, null, 200).get("items"))
        .hasSize(1);

    // written through v1beta1, stored as v1
    JsonNode updated = send(HttpMethod.PATCH, V1BETA1 + "/my-cron", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":3},\"status\":{\"replicas\":9}}", 200);
    assertThat(updated.get("apiVersion").asText()).isEqualTo("stable.example.com/v1beta1");
    assertThat(updated.at("/metadata/generation").asLong()).isEqualTo(2);
    assertThat(updated.has("status")).as("the main resource ignores status").isFalse();

    JsonNode status = send(HttpMethod.PATCH, V1 + "/my-cron/status", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":5},\"status\":{\"replicas\":3,\"selector\":\"app=cron\"}}", 200);
    assertThat(status.at("/spec/replicas").asLong()).as("status ignores the rest").isEqualTo(3);
    assertThat(status.at("/status/replicas").asLong()).isEqualTo(3);
    assertThat(status.at("/metadata/generation").asLong()).isEqualTo(2);

    JsonNode scale = send(HttpMethod.GET, V1 + "/my-cron/scale", null, null, 200);
    assertThat(scale.get("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.at("/spec/replicas").asLong()).isEqualTo(3);
    assertThat(scale.at("/status/selector").asText()).isEqualTo("app=cron");
    send(HttpMethod.PATCH, V1 + "/my-cron/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":6}}",
        200);
    assertThat(send(HttpMethod.GET, V1 + "/my-cron", null, null, 200).at("/spec/replicas").asLong()).isEqualTo(6);

    JsonNode refused = send(HttpMethod.PATCH, V1 + "/my-cron", "application/strategic-merge-patch+json", "{}", 415);
    assertThat(refused.get("message").asText()).isEqualTo("the body of the request was in an unknown format - "
        + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
        + "application/apply-patch+yaml");

    send(HttpMethod.DELETE, V1BETA1 + "/my-cron", null, null, 200);
    send(HttpMethod.GET, V1 + "/my-cron", null, null, 404);
  }

  @Test
  void aWebhookConvertsBetweenVersionsOnceForAListAndNeverForObjectsAlreadyInTheVersion() {
    // v1 says spec.cronSpec, v1beta1 spec.schedule: the fake webhook renames it
    List<List<String>> calls = new ArrayList<>();
    api.convertWith((definition, objects, apiVersion) -> {
      calls.add(objects.stream().map(o -> Json.text(o.path("metadata"), "name") + "@" + Json.text(o, "apiVersion")
          + "->" + apiVersion).toList());
      boolean toBeta = apiVersion.endsWith("/v1beta1");
      return objects.stream().map(object -> {
        ObjectNode copy = object.deepCopy().put("apiVersion", apiVersion);
        ObjectNode spec = Json.with(copy, "spec");
        spec.set(toBeta ? "schedule" : "cronSpec", spec.remove(toBeta ? "cronSpec" : "schedule"));
        return copy;
      }).toList();
    });
    ObjectNode crd = Json.parseObject(CRD);
    Json.with(crd, "spec", "conversion").put("strategy", "Webhook");
    Json.with(crd, "spec", "conversion", "webhook").putArray("conversionReviewVersions").add("v1");
    Json.with(crd, "spec", "conversion", "webhook", "clientConfig").put("url", "https://127.0.0.1:9443/convert");
    establish(Json.string(crd));

    JsonNode created = send(HttpMethod.POST, V1BETA1, "application/json", """
        {"apiVersion":"stable.example.com/v1beta1","kind":"CronTab","metadata":{"name":"a"},
         "spec":{"schedule":"* * * * */5"}}""", 201);
    assertThat(created.at("/spec/schedule").asText()).isEqualTo("* * * * */5");
    assertThat(calls).containsExactly(List.of("a@stable.example.com/v1beta1->stable.example.com/v1"),
        List.of("a@stable.example.com/v1->stable.example.com/v1beta1"));
    JsonNode stored = send(HttpMethod.GET, V1 + "/a", null, null, 200);
    assertThat(stored.at("/spec/cronSpec").asText()).as("stored as v1").isEqualTo("* * * * */5");
    assertThat(stored.at("/spec").has("schedule")).isFalse();
    send(HttpMethod.POST, V1, "application/json", CRON_TAB, 201);
    assertThat(calls).as("v1 is the storage version: nothing to convert").hasSize(2);

    calls.clear();
    JsonNode list = send(HttpMethod.GET, V1BETA1, null, null, 200);
    assertThat(list.get("items")).extracting(item -> item.at("/spec/schedule").asText())
        .containsExactly("* * * * */5", "* * * * */5");
    assertThat(calls).containsExactly(List.of("a@stable.example.com/v1->stable.example.com/v1beta1",
        "my-cron@stable.example.com/v1->stable.example.com/v1beta1"));

    api.convertWith((definition, objects, apiVersion) -> {
      throw ApiException.internal("conversion webhook for stable.example.com/v1, Kind=CronTab failed: no");
    });
    JsonNode failed = send(HttpMethod.GET, V1BETA1 + "/a", null, null, 500);
    assertThat(failed.get("message").asText()).isEqualTo(
        "Internal error occurred: conversion webhook for stable.example.com/v1, Kind=CronTab failed: no");
  }

  @Test
  void objectsWrittenUnderAnEarlierStorageVersionAreReadInTheVersionAsked() {
    establish(CRD);
    send(HttpMethod.POST, V1, "application/json", CRON_TAB, 201);
    // the definition's storage version becomes v1beta1: my-cron stays stored as v1
    ObjectNode crd = Json.parseObject(CRD);
    ((ObjectNode) crd.at("/spec/versions/0")).put("storage", false);
    ((ObjectNode) crd.at("/spec/versions/1")).put("storage", true);
    Json.with(crd, "metadata").put("uid", "u");
    Json.with(crd, "status").putArray("conditions").addObject().put("type", "Established").put("status", "True");
    api.customResources().update(CustomResourceDefinition.of(crd));

    assertThat(send(HttpMethod.GET, V1BETA1 + "/my-cron", null, null, 200).get("apiVersion").asText())
        .isEqualTo("stable.example.com/v1beta1");
    assertThat(send(HttpMethod.GET, V1BETA1, null, null, 200).at("/items/0/apiVersion").asText())
        .isEqualTo("stable.example.com/v1beta1");
    assertThat(send(HttpMethod.GET, V1 + "/my-cron", null, null, 200).get("apiVersion").asText())
        .isEqualTo("stable.example.com/v1");
  }

  @Test
  void noCreatesWhileTheDefinitionTerminates() {
    ObjectNode crd = establish(CRD);
    ObjectNode terminating = crd.deepCopy();
    Json.with(terminating, "metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
    Json.with(terminating, "status").putArray("conditions").addObject().put("type", "Established")
        .put("status", "True");
    api.customResources().update(CustomResourceDefinition.of(terminating));
    JsonNode refused = send(HttpMethod.POST, V1, "application/json", CRON_TAB, 405);
    assertThat(refused.get("message").asText())
        .isEqualTo("create not allowed while custom resource definition is terminating");
  }

  @Test
  void unestablishedDefinitionsServeNothing() {
    send(HttpMethod.POST, CRDS, "application/json", CRD, 201);
    send(HttpMethod.GET, V1, null, null, 404);
  }
}
