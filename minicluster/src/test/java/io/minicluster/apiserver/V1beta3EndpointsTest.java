package io.minicluster.apiserver;

import static io.minicluster.apiserver.EndpointsHarness.json;
import static io.minicluster.apiserver.EndpointsHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * core/v1beta3 pods, services and replication controllers: views of the stored v1 objects, every verb converting
 * its body from v1beta3 and its answer back, through {@link EndpointsHarness}.
 */
class V1beta3EndpointsTest {
  private static final String PODS = "/api/v1beta3/namespaces/default/pods";
  private static final String V1_PODS = "/api/v1/namespaces/default/pods";
  private static final String POD = """
      {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"p","labels":{"app":"web"}},
       "spec":{"host":"node-1","serviceAccount":"robot","containers":[
         {"name":"c","image":"busybox","privileged":true,"ports":[{"containerPort":80}]}]}}""";

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

  private JsonNode get(String uri) {
    ApiResponse response = api.send(HttpMethod.GET, uri, null, null);
    assertThat(response.status()).as(uri + ": " + text(response)).isEqualTo(200);
    return json(response);
  }

  private ApiResponse send(HttpMethod method, String uri, String contentType, String body) {
    return api.send(method, uri, contentType, body);
  }

  @Test
  void aPodCreatedInV1beta3IsStoredAsV1AndReadThroughBothVersions() {
    ApiResponse created = send(HttpMethod.POST, PODS + "?fieldValidation=Strict", "application/json", POD);
    assertThat(created.status()).as(text(created)).isEqualTo(201);
    JsonNode served = json(created);
    assertThat(served.path("apiVersion").asText()).isEqualTo("v1beta3");
    assertThat(served.at("/spec/host").asText()).isEqualTo("node-1");
    assertThat(served.at("/spec/serviceAccount").asText()).isEqualTo("robot");
    assertThat(served.at("/spec/containers/0/privileged").asBoolean()).isTrue();
    assertThat(served.at("/spec").has("nodeName") || served.at("/spec").has("serviceAccountName")).isFalse();

    JsonNode stored = get(V1_PODS + "/p");
    assertThat(stored.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(stored.at("/spec/nodeName").asText()).isEqualTo("node-1");
    assertThat(stored.at("/spec/serviceAccountName").asText()).isEqualTo("robot");
    assertThat(stored.at("/spec/containers/0/securityContext/privileged").asBoolean()).isTrue();
    assertThat(stored.at("/spec").has("host") || stored.at("/spec/containers/0").has("privileged")).isFalse();
    assertThat(stored.at("/metadata/resourceVersion")).isEqualTo(served.at("/metadata/resourceVersion"));

    assertThat(get(PODS + "/p")).isEqualTo(served);
    JsonNode list = get(PODS);
    assertThat(list.path("kind").asText()).isEqualTo("PodList");
    assertThat(list.path("apiVersion").asText()).isEqualTo("v1beta3");
    assertThat(list.at("/items/0/spec/host").asText()).isEqualTo("node-1");
    assertThat(get(V1_PODS).at("/items/0/spec/nodeName").asText()).isEqualTo("node-1");
  }

  @Test
  void strictFieldValidationNamesUnknownFieldsAsTheV1beta3BodyHasThem() {
    ApiResponse strict = send(HttpMethod.POST, PODS + "?fieldValidation=Strict", "application/json", """
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"p"},
         "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"busybox","terminated":1}]}}""");
    assertThat(strict.status()).isEqualTo(400);
    assertThat(json(strict).path("message").asText()).isEqualTo("Pod in version \"v1beta3\" cannot be handled as a "
        + "Pod: strict decoding error: unknown field \"spec.nodeName\", unknown field "
        + "\"spec.containers[0].terminated\"");
    ApiResponse warned = send(HttpMethod.POST, PODS, "application/json", """
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"w"},
         "spec":{"containers":[{"name":"c","image":"busybox","imagePullPolicyy":"Always"}]}}""");
    assertThat(warned.status()).isEqualTo(201);
    assertThat(warned.warnings()).containsExactly("unknown field \"spec.containers[0].imagePullPolicyy\"");
    ApiResponse v1Body = send(HttpMethod.POST, PODS, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"containers\":[]}}");
    assertThat(json(v1Body).path("message").asText())
        .isEqualTo("the API version in the data (v1) does not match the expected API version (v1beta3)");
  }

  @Test
  void patchesAndUpdatesApplyToTheV1beta3FormOfTheObject() {
    assertThat(send(HttpMethod.POST, PODS, "application/json", POD).status()).isEqualTo(201);
    // a JSON patch addresses the fields by their v1beta3 names
    ApiResponse patched = send(HttpMethod.PATCH, PODS + "/p", "application/json-patch+json",
        "[{\"op\":\"test\",\"path\":\"/spec/host\",\"value\":\"node-1\"},"
            + "{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"json\"}]");
    assertThat(patched.status()).as(text(patched)).isEqualTo(200);
    ApiResponse merged = send(HttpMethod.PATCH, PODS + "/p", "application/strategic-merge-patch+json",
        "{\"metadata\":{\"labels\":{\"merged\":\"yes\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
            + "\"image\":\"busybox:2\"}]}}");
    assertThat(merged.status()).as(text(merged)).isEqualTo(200);
    assertThat(json(merged).at("/spec/containers/0/ports/0/containerPort").asInt())
        .as("containers merged by name, as v1beta3's patch tags have it").isEqualTo(80);

    // a PUT of what v1beta3 read keeps every field, those v1beta3 names differently included
    JsonNode current = get(PODS + "/p");
    ((ObjectNode) current.path("metadata").path("labels")).put("put", "yes");
    ApiResponse replaced = send(HttpMethod.PUT, PODS + "/p", "application/json", current.toString());
    assertThat(replaced.status()).as(text(replaced)).isEqualTo(200);

    JsonNode stored = get(V1_PODS + "/p");
    assertThat(stored.at("/metadata/labels")).isEqualTo(Json.parseObject(
        "{\"app\":\"web\",\"patched\":\"json\",\"merged\":\"yes\",\"put\":\"yes\"}"));
    assertThat(stored.at("/spec/nodeName").asText()).isEqualTo("node-1");
    assertThat(stored.at("/spec/serviceAccountName").asText()).isEqualTo("robot");
    assertThat(stored.at("/spec/containers/0/image").asText()).isEqualTo("busybox:2");
    assertThat(stored.at("/spec/containers/0/securityContext/privileged").asBoolean()).isTrue();
  }

  @Test
  void theStatusSubresourceTakesV1beta3Status() {
    assertThat(send(HttpMethod.POST, PODS, "application/json", POD).status()).isEqualTo(201);
    ApiResponse patched = send(HttpMethod.PATCH, PODS + "/p/status", "application/merge-patch+json", """
        {"status":{"phase":"Running","Condition":[{"type":"Ready","status":"True"}],
         "containerStatuses":[{"name":"c","ready":false,"restartCount":1,"image":"busybox","imageID":"",
          "state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}},
          "lastState":{"termination":{"exitCode":2,"reason":"Error"}}}]}}""");
    assertThat(patched.status()).as(text(patched)).isEqualTo(200);
    assertThat(json(patched).at("/status/Condition/0/type").asText()).isEqualTo("Ready");
    JsonNode status = get(V1_PODS + "/p/status").path("status");
    assertThat(status.at("/conditions/0/status").asText()).isEqualTo("True");
    assertThat(status.at("/containerStatuses/0/lastState/terminated/exitCode").asInt()).isEqualTo(2);
    assertThat(status.has("Condition")).isFalse();
  }

  @Test
  void aPodIsBoundThroughItsV1beta3BindingSubresource() {
    assertThat(send(HttpMethod.POST, PODS, "application/json",
        "{\"apiVersion\":\"v1beta3\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"},"
            + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}").status()).isEqualTo(201);
    ApiResponse bound = send(HttpMethod.POST, PODS + "/b/binding", "application/json",
        "{\"apiVersion\":\"v1beta3\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"b\"},"
            + "\"target\":{\"kind\":\"Node\",\"name\":\"node-2\"}}");
    assertThat(bound.status()).as(text(bound)).isEqualTo(201);
    assertThat(get(PODS + "/b").at("/spec/host").asText()).isEqualTo("node-2");
    assertThat(get(V1_PODS + "/b").at("/spec/nodeName").asText()).isEqualTo("node-2");
  }

  @Test
  void watchesAndDeletesAnswerInV1beta3() {
    assertThat(send(HttpMethod.POST, PODS, "application/json", POD).status()).isEqualTo(201);
    String events = new String(api.watchInitialEvents(PODS + "?watch=true"), StandardCharsets.UTF_8);
    List<JsonNode> objects = new ArrayList<>();
    for (String line : events.split("\n")) {
      objects.add(Json.parseObject(line).path("object"));
    }
    assertThat(objects).hasSize(1);
    assertThat(objects.get(0).path("apiVersion").asText()).isEqualTo("v1beta3");
    assertThat(objects.get(0).at("/spec/host").asText()).isEqualTo("node-1");

    ApiResponse deleted = send(HttpMethod.DELETE, PODS + "/p", null, null);
    assertThat(deleted.status()).as(text(deleted)).isEqualTo(200);
    assertThat(json(deleted).path("apiVersion").asText()).isEqualTo("v1beta3");
    assertThat(json(deleted).at("/spec/host").asText()).isEqualTo("node-1");
  }

  @Test
  void servicesAndReplicationControllersAreServedInV1beta3() {
    ApiResponse service = send(HttpMethod.POST, "/api/v1beta3/namespaces/default/services?fieldValidation=Strict",
        "application/json", """
            {"apiVersion":"v1beta3","kind":"Service","metadata":{"name":"web"},
             "spec":{"portalIP":"10.96.7.7","createExternalLoadBalancer":true,"publicIPs":["192.0.2.10"],
              "selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}""");
    assertThat(service.status()).as(text(service)).isEqualTo(201);
    assertThat(json(service).at("/spec/portalIP").asText()).isEqualTo("10.96.7.7");
    JsonNode storedService = get("/api/v1/namespaces/default/services/web");
    assertThat(storedService.at("/spec/clusterIP").asText()).isEqualTo("10.96.7.7");
    assertThat(storedService.at("/spec/type").asText()).isEqualTo("LoadBalancer");
    assertThat(storedService.at("/spec/externalIPs/0").asText()).isEqualTo("192.0.2.10");

    ApiResponse controller = send(HttpMethod.POST,
        "/api/v1beta3/namespaces/default/replicationcontrollers?fieldValidation=Strict", "application/json", """
            {"apiVersion":"v1beta3","kind":"ReplicationController","metadata":{"name":"web"},
             "spec":{"replicas":2,"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"web"}},
              "spec":{"containers":[{"name":"web","image":"busybox","capabilities":{"add":["NET_ADMIN"]}}]}}}}""");
    assertThat(controller.status()).as(text(controller)).isEqualTo(201);
    assertThat(json(controller).at("/spec/template/spec/containers/0/capabilities/add/0").asText())
        .isEqualTo("NET_ADMIN");
    assertThat(get("/api/v1/namespaces/default/replicationcontrollers/web")
        .at("/spec/template/spec/containers/0/securityContext/capabilities/add/0").asText()).isEqualTo("NET_ADMIN");

    assertThat(send(HttpMethod.GET, "/api/v1beta3/namespaces/default/configmaps", null, null).status())
        .as("only what v1beta3 serves").isEqualTo(404);
    assertThat(send(HttpMethod.GET, "/api/v1beta3/namespaces/default/replicationcontrollers/web/scale", null,
        null).status()).isEqualTo(404);
  }
}
