package io.minicluster.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwaggerV2Test {
  private final SwaggerV2 swagger = new SwaggerV2(new OpenApi());

  @Test
  void definitionsUseV2ReferencesAndCarryTheKinds() {
    ObjectNode document = swagger.tree();
    assertThat(document.path("swagger").asText()).isEqualTo("2.0");
    JsonNode pod = document.path("definitions").path("io.k8s.api.core.v1.Pod");
    assertThat(pod.path("properties").path("spec").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
    assertThat(pod.path("x-kubernetes-group-version-kind").get(0).path("kind").asText()).isEqualTo("Pod");
    JsonNode deployment = document.path("definitions").path("io.k8s.api.apps.v1.Deployment");
    assertThat(deployment.path("x-kubernetes-group-version-kind").get(0).path("group").asText()).isEqualTo("apps");
    assertThat(Json.bytes(document).length).isEqualTo(swagger.json().length);
    // no v3 leftovers anywhere
    String json = new String(swagger.json(), StandardCharsets.UTF_8);
    // (JSONSchemaProps has properties named allOf and oneOf: their values are objects)
    assertThat(json).doesNotContain("#/components/schemas/", "\"allOf\":[", "\"oneOf\":[");
  }

  @Test
  void customResourceDefinitionsHaveTheirDefinitionsInV2() {
    JsonNode definitions = swagger.tree().path("definitions");
    String prefix = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";
    JsonNode crd = definitions.path(prefix + "CustomResourceDefinition");
    assertThat(crd.path("x-kubernetes-group-version-kind").get(0).path("group").asText())
        .isEqualTo("apiextensions.k8s.io");
    assertThat(crd.path("properties").path("spec").path("$ref").asText())
        .isEqualTo("#/definitions/" + prefix + "CustomResourceDefinitionSpec");
    JsonNode props = definitions.path(prefix + "JSONSchemaProps").path("properties");
    assertThat(props.path("properties").path("additionalProperties").path("$ref").asText())
        .isEqualTo("#/definitions/" + prefix + "JSONSchemaProps");
    assertThat(props.path("default").path("$ref").asText()).isEqualTo("#/definitions/" + prefix + "JSON");
    assertThat(props.path("x-kubernetes-int-or-string").path("type").asText()).isEqualTo("boolean");
    // any JSON: no type for old kubectl's client-side validation to hold a value against
    assertThat(definitions.path(prefix + "JSON").has("type")).isFalse();
    assertThat(definitions.path(prefix + "JSONSchemaPropsOrBool").has("type")).isFalse();
  }

  @Test
  void convertsTheV3OnlyShapes() {
    assertThat(SwaggerV2.convert(json("{\"allOf\":[{\"$ref\":\"#/components/schemas/a.B\"}]}")))
        .isEqualTo(json("{\"$ref\":\"#/definitions/a.B\"}"));
    assertThat(SwaggerV2.convert(json(
        "{\"format\":\"int-or-string\",\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}],"
            + "\"x-kubernetes-int-or-string\":true}")))
        .isEqualTo(json("{\"format\":\"int-or-string\",\"type\":\"string\"}"));
    assertThat(SwaggerV2.convert(json("{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}")))
        .isEqualTo(json("{\"type\":\"object\",\"additionalProperties\":{}}"));
    assertThat(SwaggerV2.convert(json(
        "{\"type\":\"array\",\"items\":{\"allOf\":[{\"$ref\":\"#/components/schemas/x.Y\"}]}}")))
        .isEqualTo(json("{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/x.Y\"}}"));
  }

  @Test
  void protobufIsTheGnosticDocument() throws IOException {
    Map<Integer, List<byte[]>> document = fields(swagger.protobuf());
    assertThat(text(document.get(1).get(0))).isEqualTo("2.0");
    assertThat(text(fields(document.get(2).get(0)).get(1).get(0))).isEqualTo("Kubernetes");
    Map<String, byte[]> definitions = new LinkedHashMap<>();
    for (byte[] named : fields(document.get(9).get(0)).get(1)) {
      Map<Integer, List<byte[]>> entry = fields(named);
      definitions.put(text(entry.get(1).get(0)), entry.get(2).get(0));
    }
    assertThat(definitions).containsKeys("io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment");

    Map<Integer, List<byte[]>> pod = fields(definitions.get("io.k8s.api.core.v1.Pod"));
    assertThat(text(fields(pod.get(22).get(0)).get(1).get(0))).isEqualTo("object");
    Map<String, byte[]> properties = new LinkedHashMap<>();
    for (byte[] named : fields(pod.get(25).get(0)).get(1)) {
      Map<Integer, List<byte[]>> entry = fields(named);
      properties.put(text(entry.get(1).get(0)), entry.get(2).get(0));
    }
    assertThat(text(fields(properties.get("spec")).get(1).get(0))).isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
    Map<Integer, List<byte[]>> extension = fields(pod.get(31).get(0));
    assertThat(text(extension.get(1).get(0))).isEqualTo("x-kubernetes-group-version-kind");
    String yaml = text(fields(extension.get(2).get(0)).get(2).get(0));
    assertThat(json(yaml)).isEqualTo(json("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]"));
  }

  @Test
  void pathsCarryTheOperationsOfEveryServedResource() {
    JsonNode paths = swagger.tree().path("paths");
    JsonNode pods = paths.path("/api/v1/namespaces/{namespace}/pods");
    assertThat(names(pods.path("parameters"))).containsExactly("namespace", "pretty");
    JsonNode list = pods.path("get");
    assertThat(list.path("operationId").asText()).isEqualTo("listCoreV1NamespacedPod");
    assertThat(list.path("x-kubernetes-action").asText()).isEqualTo("list");
    assertThat(list.path("x-kubernetes-group-version-kind")).isEqualTo(json(
        "{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}"));
    assertThat(names(list.path("parameters"))).contains("labelSelector", "fieldSelector", "watch", "limit");
    assertThat(texts(list.path("produces"))).contains("application/json", "application/json;stream=watch");
    assertThat(list.path("responses").path("200").path("schema").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.PodList");
    JsonNode create = pods.path("post");
    assertThat(create.path("x-kubernetes-action").asText()).isEqualTo("post");
    assertThat(create.path("parameters").get(0)).isEqualTo(json("{\"in\":\"body\",\"name\":\"body\","
        + "\"required\":true,\"schema\":{\"$ref\":\"#/definitions/io.k8s.api.core.v1.Pod\"}}"));
    assertThat(pods.path("delete").path("x-kubernetes-action").asText()).isEqualTo("deletecollection");

    JsonNode pod = paths.path("/api/v1/namespaces/{namespace}/pods/{name}");
    assertThat(names(pod.path("parameters"))).containsExactly("name", "namespace", "pretty");
    assertThat(pod.path("get").path("operationId").asText()).isEqualTo("readCoreV1NamespacedPod");
    assertThat(pod.path("put").path("x-kubernetes-action").asText()).isEqualTo("put");
    assertThat(pod.path("delete").path("x-kubernetes-action").asText()).isEqualTo("delete");
    JsonNode patch = pod.path("patch");
    assertThat(texts(patch.path("consumes"))).containsExactly("application/json-patch+json",
        "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");
    assertThat(names(patch.path("parameters"))).containsExactly("body", "dryRun", "fieldManager", "fieldValidation",
        "force");
    assertThat(patch.path("parameters").get(0).path("schema").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");

    assertThat(paths.path("/api/v1/pods").path("get").path("operationId").asText())
        .isEqualTo("listCoreV1PodForAllNamespaces");
    assertThat(names(paths.path("/api/v1/nodes").path("parameters"))).containsExactly("pretty");
    assertThat(paths.path("/api/v1/namespaces/{namespace}/pods/{name}/status").path("patch")
        .path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Pod");
    JsonNode scale = paths.path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale").path("put");
    assertThat(scale.path("x-kubernetes-group-version-kind")).isEqualTo(json(
        "{\"group\":\"autoscaling\",\"kind\":\"Scale\",\"version\":\"v1\"}"));
    assertThat(scale.path("operationId").asText()).isEqualTo("replaceAppsV1NamespacedDeploymentScale");
    JsonNode eviction = paths.path("/api/v1/namespaces/{namespace}/pods/{name}/eviction").path("post");
    assertThat(eviction.path("x-kubernetes-group-version-kind").path("group").asText()).isEqualTo("policy");
    JsonNode exec = paths.path("/api/v1/namespaces/{namespace}/pods/{name}/exec");
    assertThat(exec.path("get").path("x-kubernetes-action").asText()).isEqualTo("connect");
    assertThat(exec.path("post").path("operationId").asText()).isEqualTo("connectCoreV1PostNamespacedPodExec");
    assertThat(names(exec.path("parameters"))).contains("command", "container", "stdin", "tty");
    assertThat(paths.path("/api/v1/namespaces/{namespace}/pods/{name}/log").path("get").path("responses")
        .path("200").path("schema").path("type").asText()).isEqualTo("string");

    // every verb of every served resource is there, tagged with its kind
    for (ResourceType type : ResourceTypes.ALL) {
      String collection = "/" + OpenApi.path(type.group(), type.version())
          + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
      Map<String, String> methods = Map.of("list", collection + " get", "create", collection + " post",
          "deletecollection", collection + " delete", "get", collection + "/{name} get",
          "update", collection + "/{name} put", "patch", collection + "/{name} patch",
          "delete", collection + "/{name} delete");
      methods.forEach((verb, where) -> {
        String[] parts = where.split(" ");
        JsonNode operation = paths.path(parts[0]).path(parts[1]);
        if (type.verbs().contains(verb)) {
          assertThat(operation.path("x-kubernetes-group-version-kind").path("kind").asText())
              .as("%s %s", verb, type.plural()).isEqualTo(type.kind());
        } else {
          assertThat(operation.isMissingNode()).as("%s %s", verb, type.plural()).isTrue();
        }
      });
    }
  }

  @Test
  void everyReferenceResolvesToADefinition() {
    ObjectNode document = swagger.tree();
    List<String> references = new ArrayList<>();
    collectReferences(document, references);
    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).startsWith("#/definitions/");
      assertThat(document.path("definitions").has(reference.substring("#/definitions/".length())))
          .as(reference).isTrue();
    }
  }

  @Test
  void definitionsCarryDescriptionsRequiredFieldsAndPatchStrategies() {
    Descriptions descriptions = new Descriptions(Json.parseObject(("{'io.k8s.api.core.v1.PodSpec':{"
        + "'description':'A pod.','properties':{'containers':'The containers.','dnsConfig':'DNS settings.'},"
        + "'required':['containers']}}").replace('\'', '"')));
    JsonNode definitions = new SwaggerV2(new OpenApi(ResourceTypes.ALL, descriptions)).tree().path("definitions");
    JsonNode podSpec = definitions.path("io.k8s.api.core.v1.PodSpec");
    assertThat(podSpec.path("description").asText()).isEqualTo("A pod.");
    assertThat(texts(podSpec.path("required"))).containsExactly("containers");
    JsonNode containers = podSpec.path("properties").path("containers");
    assertThat(containers.path("description").asText()).isEqualTo("The containers.");
    assertThat(containers.path("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
    assertThat(podSpec.path("properties").path("dnsConfig")).isEqualTo(json("{\"$ref\":"
        + "\"#/definitions/io.k8s.api.core.v1.PodDNSConfig\",\"description\":\"DNS settings.\"}"));
    assertThat(podSpec.path("properties").path("volumes").path("x-kubernetes-patch-strategy").asText())
        .isEqualTo("merge,retainKeys");
    assertThat(definitions.path("io.k8s.api.core.v1.Container").path("properties").path("env")
        .path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
    JsonNode strategy = definitions.path("io.k8s.api.apps.v1.DeploymentSpec").path("properties").path("strategy");
    assertThat(strategy.path("$ref").asText()).isEqualTo("#/definitions/io.k8s.api.apps.v1.DeploymentStrategy");
    assertThat(strategy.path("x-kubernetes-patch-strategy").asText()).isEqualTo("retainKeys");
    assertThat(definitions.path("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").path("properties")
        .path("ownerReferences").path("x-kubernetes-patch-merge-key").asText()).isEqualTo("uid");
    // without a description, a definition keeps its Go type name
    assertThat(definitions.path("io.k8s.api.core.v1.Container").path("description").asText())
        .isEqualTo("Container (v1.Container)");
  }

  @Test
  void theBuildBundlesTheDocumentationOfTheApiTypes() {
    Descriptions bundled = Descriptions.standard();
    assertThat(bundled.type("io.k8s.api.core.v1.PodSpec")).contains("PodSpec is a description of a pod.");
    // from the client's models
    assertThat(bundled.property("io.k8s.api.core.v1.PodSpec", "containers").orElseThrow())
        .startsWith("List of containers belonging to the pod.");
    // from the comments of the protobuf fields: the models leave references to other definitions undocumented
    assertThat(bundled.property("io.k8s.api.core.v1.Pod", "metadata").orElseThrow())
        .startsWith("Standard object's metadata. More info: https://");
    assertThat(bundled.property("io.k8s.api.core.v1.Volume", "emptyDir").orElseThrow())
        .startsWith("emptyDir represents a temporary directory");
    assertThat(bundled.required("io.k8s.api.core.v1.Container")).contains("name");
  }

  @Test
  void protobufCarriesThePaths() throws IOException {
    Map<Integer, List<byte[]>> document = fields(swagger.protobuf());
    Map<String, byte[]> paths = new LinkedHashMap<>();
    for (byte[] named : fields(document.get(8).get(0)).get(2)) {
      Map<Integer, List<byte[]>> entry = fields(named);
      paths.put(text(entry.get(1).get(0)), entry.get(2).get(0));
    }
    assertThat(paths).containsKeys("/api/v1/namespaces/{namespace}/pods", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
    Map<Integer, List<byte[]>> item = fields(paths.get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}"));
    Map<Integer, List<byte[]>> patch = fields(item.get(8).get(0));
    assertThat(patch.get(7).stream().map(SwaggerV2Test::text)).contains("application/strategic-merge-patch+json");
    assertThat(text(patch.get(5).get(0))).isEqualTo("patchAppsV1NamespacedDeployment");
    Map<String, String> extensions = new LinkedHashMap<>();
    for (byte[] named : patch.get(13)) {
      Map<Integer, List<byte[]>> extension = fields(named);
      extensions.put(text(extension.get(1).get(0)), text(fields(extension.get(2).get(0)).get(2).get(0)));
    }
    assertThat(json(extensions.get("x-kubernetes-group-version-kind")))
        .isEqualTo(json("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}"));
    assertThat(json(extensions.get("x-kubernetes-action")).asText()).isEqualTo("patch");
    // the body parameter: ParametersItem.parameter.body_parameter with its schema reference
    Map<Integer, List<byte[]>> body = fields(fields(fields(patch.get(8).get(0)).get(1).get(0)).get(1).get(0));
    assertThat(text(body.get(2).get(0))).isEqualTo("body");
    assertThat(body.get(4)).as("required").isNotNull();
    assertThat(text(fields(body.get(5).get(0)).get(1).get(0)))
        .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
    // a query parameter: non_body_parameter.query_parameter_sub_schema, named and typed
    Map<Integer, List<byte[]>> force = fields(fields(fields(fields(patch.get(8).get(4)).get(1).get(0)).get(2).get(0))
        .get(3).get(0));
    assertThat(text(force.get(4).get(0))).isEqualTo("force");
    assertThat(text(force.get(6).get(0))).isEqualTo("boolean");
    // path-level parameters: ParametersItem.parameter.non_body_parameter.path_parameter_sub_schema, required
    Map<Integer, List<byte[]>> name = fields(fields(fields(fields(item.get(9).get(0)).get(1).get(0)).get(2).get(0))
        .get(4).get(0));
    assertThat(text(name.get(4).get(0))).isEqualTo("name");
    assertThat(name.get(1)).as("required").isNotNull();
  }

  private static List<String> names(JsonNode parameters) {
    List<String> names = new ArrayList<>();
    parameters.forEach(parameter -> names.add(parameter.path("name").asText()));
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(value -> texts.add(value.asText()));
    return texts;
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
          references.add(field.getValue().asText());
        } else {
          collectReferences(field.getValue(), references);
        }
      });
    } else if (node.isArray()) {
      node.forEach(element -> collectReferences(element, references));
    }
  }

  /**
   * The length-delimited fields of a message by number; a varint field (a true bool) is kept as an empty value.
   */
  private static Map<Integer, List<byte[]>> fields(byte[] message) throws IOException {
    Map<Integer, List<byte[]>> fields = new LinkedHashMap<>();
    CodedInputStream in = CodedInputStream.newInstance(message);
    int tag;
    while ((tag = in.readTag()) != 0) {
      int wireType = tag & 7;
      assertThat(wireType).as("wire type of field %d", tag >>> 3).isIn(0, 2);
      byte[] value = wireType == 2 ? in.readByteArray() : new byte[0];
      if (wireType == 0) {
        assertThat(in.readBool()).isTrue();
      }
      fields.computeIfAbsent(tag >>> 3, number -> new ArrayList<>()).add(value);
    }
    return fields;
  }

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
