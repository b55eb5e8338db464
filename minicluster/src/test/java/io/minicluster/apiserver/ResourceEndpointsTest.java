package io.minicluster.apiserver;

import static io.minicluster.apiserver.EndpointsHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request handling of resource URLs, through {@link EndpointsHarness}. */
class ResourceEndpointsTest {
  private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps";

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

  private ApiResponse createConfigMap(String name) {
    return api.send(HttpMethod.POST, CONFIG_MAPS, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
            + "\"data\":{\"k\":\"v\"}}");
  }

  @Test
  void jsonBodiesEndWithTheNewlineOfGosEncoder() {
    ApiResponse created = createConfigMap("cm");
    assertThat(created.status()).isEqualTo(201);
    assertThat(text(created)).startsWith("{\"kind\":\"ConfigMap\"").endsWith("}\n");
    assertThat(text(api.send(HttpMethod.GET, CONFIG_MAPS + "/cm", null, null))).endsWith("}\n");
    assertThat(text(api.send(HttpMethod.GET, CONFIG_MAPS, null, null))).endsWith("]}\n");

    ApiResponse conflict = api.send(HttpMethod.PUT, CONFIG_MAPS + "/cm", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"resourceVersion\":\"12345\"}}");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(text(conflict)).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"Operation cannot be fulfilled on configmaps \\\"cm\\\": the object "
        + "has been modified; please apply your changes to the latest version and try again\","
        + "\"reason\":\"Conflict\",\"details\":{\"name\":\"cm\",\"kind\":\"configmaps\"},\"code\":409}\n");
    assertThat(text(api.send(HttpMethod.GET, CONFIG_MAPS + "/absent", null, null))).endsWith("}\n");
  }

  @Test
  void aDeleteCollectionAnswersWithTheListOfWhatItDeletedAtTheListsRevision() {
    createConfigMap("a");
    createConfigMap("b");
    String listed = Json.parseObject(text(api.send(HttpMethod.GET, CONFIG_MAPS, null, null)))
        .path("metadata").path("resourceVersion").asText();

    ApiResponse deleted = api.send(HttpMethod.DELETE, CONFIG_MAPS, null, null);

    assertThat(deleted.status()).isEqualTo(200);
    ObjectNode list = Json.parseObject(text(deleted));
    assertThat(text(deleted)).startsWith("{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":"
        + "{\"resourceVersion\":\"" + listed + "\"},\"items\":[{").endsWith("}]}\n");
    assertThat(Json.objects(list, "items")).extracting(item -> Json.textOrNull(item, "metadata", "name"))
        .containsExactly("a", "b");
    assertThat(Json.objects(list, "items")).allSatisfy(item -> assertThat(item.path("kind").asText())
        .isEqualTo("ConfigMap"));
    assertThat(Json.objects(Json.parseObject(text(api.send(HttpMethod.GET, CONFIG_MAPS, null, null))), "items"))
        .isEmpty();
    assertThat(text(api.send(HttpMethod.DELETE, CONFIG_MAPS, null, null))).endsWith("\"items\":[]}\n");
  }

  @Test
  void watchEventsAreOneNewlineTerminatedDocumentEach() {
    createConfigMap("a");
    createConfigMap("b");

    String streamed = new String(api.watchInitialEvents(CONFIG_MAPS + "?watch=1"), StandardCharsets.UTF_8);

    assertThat(streamed.split("\n", -1)).hasSize(3);
    assertThat(streamed).startsWith("{\"type\":\"ADDED\"").endsWith("}}\n").contains("}}\n{\"type\":\"ADDED\"");
  }

  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
  private static final String DATA_ERROR =
      "json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string";

  private String stored(String uri) {
    ApiResponse response = api.send(HttpMethod.GET, uri, null, null);
    assertThat(response.status()).isEqualTo(200);
    return text(response);
  }

  private void createDeployment() {
    ApiResponse created = api.send(HttpMethod.POST, DEPLOYMENTS, "application/json", "{\"apiVersion\":\"apps/v1\","
        + "\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":1,\"selector\":"
        + "{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}");
    assertThat(created.status()).as(text(created)).isEqualTo(201);
  }

  @Test
  void everyPatchTypeRejectsAResultOfTheWrongShapeAndStoresNothing() {
    createConfigMap("cm");
    String before = stored(CONFIG_MAPS + "/cm");

    ApiResponse merge = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm", "application/merge-patch+json",
        "{\"data\":\"oops\"}");
    assertThat(merge.status()).isEqualTo(422);
    assertThat(text(merge)).contains("\"reason\":\"Invalid\"", DATA_ERROR);
    ApiResponse json = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm", "application/json-patch+json",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":\"x\"}]");
    assertThat(json.status()).isEqualTo(422);
    assertThat(text(json)).contains("json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels");
    ApiResponse strategic = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm",
        "application/strategic-merge-patch+json", "{\"data\":\"oops\"}");
    assertThat(strategic.status()).isEqualTo(422);
    assertThat(text(strategic)).contains("Invalid value: \\\"map[data:oops]\\\": cannot restore map from string");

    assertThat(stored(CONFIG_MAPS + "/cm")).isEqualTo(before);
  }

  @Test
  void replaceAndApplyRejectAValueOfTheWrongShapeAndStoreNothing() {
    createConfigMap("cm");
    String before = stored(CONFIG_MAPS + "/cm");

    ApiResponse replaced = api.send(HttpMethod.PUT, CONFIG_MAPS + "/cm", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"},\"data\":\"oops\"}");
    assertThat(replaced.status()).isEqualTo(400);
    assertThat(text(replaced)).contains("ConfigMap in version \\\"v1\\\" cannot be handled as a ConfigMap: "
        + DATA_ERROR);

    String apply = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata: oops\n";
    ApiResponse applied = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm?fieldManager=test",
        "application/apply-patch+yaml", apply);
    assertThat(applied.status()).isEqualTo(500);
    assertThat(text(applied)).endsWith("\"message\":\"failed to create typed patch object (/cm; /v1, Kind=ConfigMap): "
        + ".data: expected map, got \\u0026{oops}\",\"code\":500}\n");
    ApiResponse applyCreate = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/new?fieldManager=test",
        "application/apply-patch+yaml", apply.replace("name: cm", "name: new"));
    assertThat(applyCreate.status()).isEqualTo(500);

    assertThat(stored(CONFIG_MAPS + "/cm")).isEqualTo(before);
    assertThat(api.send(HttpMethod.GET, CONFIG_MAPS + "/new", null, null).status()).isEqualTo(404);
  }

  @Test
  void scaleWritesAndStatusAppliesAreRecordedUnderTheirSubresource() {
    createDeployment();

    ApiResponse scaled = api.send(HttpMethod.PATCH, DEPLOYMENTS + "/web/scale?fieldManager=scaler",
        "application/merge-patch+json", "{\"spec\":{\"replicas\":3}}");
    ApiResponse applied = api.send(HttpMethod.PATCH, DEPLOYMENTS + "/web/status?fieldManager=reporter",
        "application/apply-patch+yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
            + "status:\n  replicas: 1\n");

    assertThat(scaled.status()).as(text(scaled)).isEqualTo(200);
    assertThat(applied.status()).as(text(applied)).isEqualTo(200);
    JsonNode entries = Json.parseObject(text(api.send(HttpMethod.GET, DEPLOYMENTS + "/web", null, null)))
        .at("/metadata/managedFields");
    // sorted as the apiserver sorts them: Apply before Update, then by time and manager (the creator is unnamed)
    assertThat(entries).extracting(e -> e.path("manager").asText() + " " + e.path("operation").asText() + " "
        + e.path("subresource").asText() + " " + e.path("fieldsV1").at("/f:spec/f:replicas").isObject())
        .containsExactly("reporter Apply status false", " Update  false", "scaler Update scale true");
  }

  @Test
  void writeOptionsAreValidatedAsTheApiserverDoes() {
    createConfigMap("cm");

    ApiResponse forced = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm?force=true", "application/merge-patch+json",
        "{}");
    ApiResponse unnamed = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm", "application/apply-patch+yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n");
    ApiResponse tooLong = api.send(HttpMethod.POST, CONFIG_MAPS + "?fieldManager=" + "m".repeat(129),
        "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c2\"}}");

    assertThat(forced.status()).isEqualTo(422);
    assertThat(text(forced)).contains("\"message\":\"PatchOptions.meta.k8s.io \\\"\\\" is invalid: force: Forbidden: "
        + "may not be specified for non-apply patch\"");
    assertThat(unnamed.status()).isEqualTo(422);
    assertThat(text(unnamed)).contains("\"message\":\"PatchOptions.meta.k8s.io \\\"\\\" is invalid: fieldManager: "
        + "Required value: is required for apply patch\"");
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(text(tooLong)).contains("\"message\":\"CreateOptions.meta.k8s.io \\\"\\\" is invalid: fieldManager: "
        + "Too long: may not be more than 128 bytes\"");
  }

  @Test
  void statusAndScaleSubresourcesRejectValuesOfTheWrongShape() {
    createDeployment();
    String before = stored(DEPLOYMENTS + "/web");

    ApiResponse status = api.send(HttpMethod.PATCH, DEPLOYMENTS + "/web/status", "application/merge-patch+json",
        "{\"status\":{\"replicas\":\"3\"}}");
    assertThat(status.status()).isEqualTo(422);
    assertThat(text(status)).contains(
        "json: cannot unmarshal string into Go struct field DeploymentStatus.status.replicas of type int32");
    ApiResponse scalePatch = api.send(HttpMethod.PATCH, DEPLOYMENTS + "/web/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":\"3\"}}");
    assertThat(scalePatch.status()).isEqualTo(422);
    assertThat(text(scalePatch)).contains(
        "json: cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32");
    ApiResponse scalePut = api.send(HttpMethod.PUT, DEPLOYMENTS + "/web/scale", "application/json",
        "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"web\"},"
            + "\"spec\":{\"replicas\":\"3\"}}");
    assertThat(scalePut.status()).isEqualTo(400);
    assertThat(text(scalePut)).contains("Scale in version \\\"v1\\\" cannot be handled as a Scale: json: cannot "
        + "unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32");

    assertThat(stored(DEPLOYMENTS + "/web")).isEqualTo(before);
    ApiResponse scaled = api.send(HttpMethod.PATCH, DEPLOYMENTS + "/web/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":3}}");
    assertThat(scaled.status()).isEqualTo(200);
    assertThat(stored(DEPLOYMENTS + "/web")).contains("\"replicas\":3");
  }

  @Test
  void patchesRunTheUpdateValidationOfTheKind() {
    createDeployment();

    ApiResponse negative = api.send(HttpMethod.PATCH, DEPLOYMENTS + "/web", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":-1}}");

    assertThat(negative.status()).isEqualTo(422);
    assertThat(text(negative)).contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void unknownFieldsAPatchAddsFollowFieldValidation() {
    createConfigMap("cm");

    ApiResponse warned = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm", "application/merge-patch+json",
        "{\"dta\":{}}");
    assertThat(warned.status()).isEqualTo(200);
    assertThat(warned.warnings()).containsExactly("unknown field \"dta\"");
    ApiResponse strict = api.send(HttpMethod.PATCH, CONFIG_MAPS + "/cm?fieldValidation=Strict",
        "application/merge-patch+json", "{\"dtb\":{}}");
    assertThat(strict.status()).isEqualTo(422);
    assertThat(text(strict)).contains("strict decoding error: unknown field \\\"dtb\\\"");
  }

  private static final String PODS = "/api/v1/namespaces/default/pods";

  private ApiResponse evict(String query, String body) {
    return api.send(HttpMethod.POST, PODS + "/web/eviction" + query, "application/json", body);
  }

  @Test
  void anEvictionHonoursDryRunAndTheDeleteOptionsOfItsBody() {
    assertThat(api.send(HttpMethod.POST, PODS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}")
        .status()).isEqualTo(201);
    assertThat(api.send(HttpMethod.POST, PODS + "/web/binding", "application/json", "{\"apiVersion\":\"v1\","
        + "\"kind\":\"Binding\",\"metadata\":{\"name\":\"web\"},\"target\":{\"name\":\"node1\"}}").status())
        .isEqualTo(201);
    String eviction = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"web\"}";

    ApiResponse dryRunQuery = evict("?dryRun=All", eviction + "}");
    ApiResponse dryRunBody = evict("", eviction + ",\"deleteOptions\":{\"dryRun\":[\"All\"]}}");
    ApiResponse otherUid = evict("", eviction + ",\"deleteOptions\":{\"preconditions\":{\"uid\":\"other\"}}}");
    ApiResponse otherName = evict("", eviction.replace("\"name\":\"web\"", "\"name\":\"db\"") + "}");
    String pod = text(api.send(HttpMethod.GET, PODS + "/web", null, null));

    assertThat(dryRunQuery.status()).isEqualTo(201);
    assertThat(dryRunBody.status()).isEqualTo(201);
    assertThat(otherUid.status()).isEqualTo(409);
    // the apiserver checks it where it adds the DisruptionTarget condition (addConditionAndDeletePod)
    assertThat(text(otherUid)).contains("Operation cannot be fulfilled on Pod \\\"web\\\": the UID in the "
        + "precondition (other) does not match the UID in record");
    assertThat(otherName.status()).isEqualTo(400);
    assertThat(text(otherName)).contains("name in URL does not match name in Eviction object");
    assertThat(pod).doesNotContain("deletionTimestamp");

    ApiResponse evicted = evict("", eviction + ",\"deleteOptions\":{\"gracePeriodSeconds\":7}}");
    assertThat(evicted.status()).isEqualTo(201);
    assertThat(text(api.send(HttpMethod.GET, PODS + "/web", null, null))).contains("\"deletionGracePeriodSeconds\":7");
  }
}
