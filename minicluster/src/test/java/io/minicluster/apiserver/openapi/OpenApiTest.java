package io.minicluster.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiTest {
  private static final OpenApi OPEN_API = new OpenApi();

  @Test
  void rootListsEveryServedGroupVersionWithItsHash() {
    ObjectNode root = OPEN_API.root();

    List<String> expected = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<ResourceType>>> group : ResourceTypes.byGroupVersion().entrySet()) {
      for (String version : group.getValue().keySet()) {
        expected.add(OpenApi.path(group.getKey(), version));
      }
    }
    List<String> actual = new ArrayList<>();
    root.get("paths").fieldNames().forEachRemaining(actual::add);
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(actual).contains("api/v1", "api/v1beta3", "apis/apps/v1", "apis/discovery.k8s.io/v1",
        "apis/coordination.k8s.io/v1", "apis/events.k8s.io/v1");
    assertThat(root.at("/paths/apis~1apps~1v1/serverRelativeURL").asText())
        .isEqualTo("/openapi/v3/apis/apps/v1?hash=" + OPEN_API.hash("apis/apps/v1").orElseThrow());
  }

  @Test
  void hashIsStableAcrossInstances() {
    assertThat(new OpenApi().hash("api/v1")).isEqualTo(OPEN_API.hash("api/v1"));
    assertThat(OPEN_API.hash("api/v1")).isNotEqualTo(OPEN_API.hash("apis/apps/v1"));
    assertThat(OPEN_API.hash("apis/nope/v1")).isEmpty();
  }

  @Test
  void patchOperationsAdvertiseFieldValidationAndHaveNoRequestBody() throws Exception {
    JsonNode core = Json.parse(OPEN_API.documentBytes("api/v1").orElseThrow());
    JsonNode apps = Json.parse(OPEN_API.documentBytes("apis/apps/v1").orElseThrow());

    assertPatch(core, "/api/v1/namespaces/{namespace}/pods/{name}", "", "Pod");
    assertPatch(core, "/api/v1/namespaces/{namespace}/configmaps/{name}", "", "ConfigMap");
    assertPatch(core, "/api/v1/namespaces/{namespace}/services/{name}", "", "Service");
    assertPatch(core, "/api/v1/nodes/{name}", "", "Node");
    assertPatch(core, "/api/v1/namespaces/{name}", "", "Namespace");
    assertPatch(apps, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "apps", "Deployment");
    assertPatch(apps, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "autoscaling", "Scale");
    assertThat(core.get("paths").has("/api/v1/pods")).isTrue();
    assertThat(core.at("/paths/~1api~1v1~1namespaces~1{namespace}~1bindings/post")).isNotNull();
    assertThat(core.get("paths").has("/api/v1/namespaces/{namespace}/bindings/{name}")).isFalse();
    assertThat(core.at("/info/version").asText()).isEqualTo(OpenApi.KUBERNETES_VERSION);
    assertThat(core.get("openapi").asText()).isEqualTo("3.0.0");
  }

  private static void assertPatch(JsonNode document, String path, String group, String kind) {
    assertPatch(document, path, group, "v1", kind);
  }

  private static void assertPatch(JsonNode document, String path, String group, String version, String kind) {
    JsonNode patch = document.get("paths").get(path).get("patch");
    assertThat(patch).as(path).isNotNull();
    assertThat(patch.get("x-kubernetes-action").asText()).isEqualTo("patch");
    assertThat(patch.get("x-kubernetes-group-version-kind")).isEqualTo(Json.parseObject(
        "{\"group\":\"" + group + "\",\"kind\":\"" + kind + "\",\"version\":\"" + version + "\"}"));
    List<String> parameters = new ArrayList<>();
    patch.get("parameters").forEach(p -> parameters.add(p.get("name").asText() + "/" + p.get("in").asText()));
    assertThat(parameters).contains("fieldValidation/query", "dryRun/query", "fieldManager/query", "force/query");
    assertThat(patch.has("requestBody")).isFalse();
  }

  /**
   * kubectl create -f of a v1beta3 manifest looks for its kind's patch operation in the api/v1beta3 document: with the
   * fieldValidation parameter there, it sends fieldValidation=Strict and leaves validation to the server.
   */
  @Test
  void theV1beta3DocumentServesPodsServicesAndReplicationControllersWithV1beta3FieldNames() throws Exception {
    assertThat(OPEN_API.root().at("/paths/api~1v1beta3/serverRelativeURL").asText())
        .startsWith("/openapi/v3/api/v1beta3?hash=");
    JsonNode v1beta3 = Json.parse(OPEN_API.documentBytes("api/v1beta3").orElseThrow());
    assertPatch(v1beta3, "/api/v1beta3/namespaces/{namespace}/pods/{name}", "", "v1beta3", "Pod");
    assertPatch(v1beta3, "/api/v1beta3/namespaces/{namespace}/services/{name}", "", "v1beta3", "Service");
    assertPatch(v1beta3, "/api/v1beta3/namespaces/{namespace}/replicationcontrollers/{name}", "", "v1beta3",
        "ReplicationController");
    assertPatch(v1beta3, "/api/v1beta3/namespaces/{namespace}/pods/{name}/status", "", "v1beta3", "Pod");
    List<String> paths = new ArrayList<>();
    v1beta3.get("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths).noneMatch(path -> path.contains("configmaps") || path.contains("/scale"));

    JsonNode schemas = v1beta3.at("/components/schemas");
    assertThat(schemas.at("/io.k8s.api.core.v1beta3.Pod/x-kubernetes-group-version-kind")).isEqualTo(
        Json.MAPPER.readTree("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1beta3\"}]"));
    assertThat(properties(schemas, "io.k8s.api.core.v1beta3.PodSpec")).contains("host", "serviceAccount",
        "containers", "tolerations").doesNotContain("nodeName", "serviceAccountName");
    assertThat(properties(schemas, "io.k8s.api.core.v1beta3.Container")).contains("privileged", "capabilities",
        "securityContext");
    assertThat(properties(schemas, "io.k8s.api.core.v1beta3.PodStatus")).contains("Condition")
        .doesNotContain("conditions");
    assertThat(properties(schemas, "io.k8s.api.core.v1beta3.ContainerState")).contains("termination")
        .doesNotContain("terminated");
    assertThat(properties(schemas, "io.k8s.api.core.v1beta3.ServiceSpec")).contains("portalIP", "publicIPs",
        "createExternalLoadBalancer").doesNotContain("clusterIP", "externalIPs");
    assertThat(properties(OPEN_API.document("", "v1").orElseThrow().at("/components/schemas"),
        "io.k8s.api.core.v1.PodSpec")).as("v1 unchanged").contains("nodeName", "serviceAccountName")
        .doesNotContain("host");
  }

  private static List<String> properties(JsonNode schemas, String definition) {
    List<String> names = new ArrayList<>();
    JsonNode properties = schemas.get(definition).get("properties");
    assertThat(properties).as(definition).isNotNull();
    properties.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void everyReferenceResolvesInEveryDocument() throws Exception {
    for (String path : List.of("api/v1", "api/v1beta3", "apis/apps/v1", "apis/discovery.k8s.io/v1",
        "apis/coordination.k8s.io/v1", "apis/events.k8s.io/v1", "apis/apiextensions.k8s.io/v1")) {
      JsonNode document = Json.parse(OPEN_API.documentBytes(path).orElseThrow());
      JsonNode schemas = document.at("/components/schemas");
      List<String> references = new ArrayList<>();
      collectReferences(document, references);
      assertThat(references).as(path).isNotEmpty();
      for (String reference : references) {
        assertThat(reference).startsWith("#/components/schemas/");
        assertThat(schemas.has(reference.substring("#/components/schemas/".length())))
            .as(path + " " + reference).isTrue();
      }
    }
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

  @Test
  void schemasDescribeKindsAsKubernetesNamesThem() throws Exception {
    JsonNode schemas = OPEN_API.document("", "v1").orElseThrow().at("/components/schemas");

    JsonNode pod = schemas.get("io.k8s.api.core.v1.Pod");
    assertThat(pod.get("x-kubernetes-group-version-kind")).isEqualTo(
        Json.parse("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]".getBytes()).deepCopy());
    assertThat(pod.at("/properties/metadata/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(pod.at("/properties/spec/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodSpec");
    assertThat(pod.at("/properties/apiVersion/type").asText()).isEqualTo("string");
    assertThat(schemas.at("/io.k8s.api.core.v1.PodSpec/properties/containers/items/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
    assertThat(schemas.at("/io.k8s.api.core.v1.PodSpec/properties/nodeSelector/additionalProperties/type")
        .asText()).isEqualTo("string");
    JsonNode container = schemas.get("io.k8s.api.core.v1.Container").get("properties");
    assertThat(container.has("name")).isTrue();
    assertThat(container.has("imagePullPolicy")).isTrue();
    assertThat(container.at("/ports/items/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.ContainerPort");
    assertThat(schemas.at("/io.k8s.api.core.v1.ContainerPort/properties/containerPort/format").asText())
        .isEqualTo("int32");
    JsonNode intOrString = schemas.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    assertThat(intOrString.get("format").asText()).isEqualTo("int-or-string");
    assertThat(intOrString.get("x-kubernetes-int-or-string").asBoolean()).isTrue();
    assertThat(schemas.at("/io.k8s.apimachinery.pkg.apis.meta.v1.Time/format").asText()).isEqualTo("date-time");
    assertThat(schemas.has("io.k8s.apimachinery.pkg.api.resource.Quantity")).isTrue();
    assertThat(schemas.at("/io.k8s.api.core.v1.Volume/properties/emptyDir/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.EmptyDirVolumeSource");
    assertThat(schemas.at("/io.k8s.api.core.v1.Secret/properties/data/additionalProperties/format").asText())
        .isEqualTo("byte");
  }

  @Test
  void schemasCarryTheDescriptionsRequiredPropertiesAndPatchStrategies() {
    Descriptions descriptions = new Descriptions(Json.parseObject(("{'io.k8s.api.core.v1.Pod':{"
        + "'description':'A pod.','properties':{'spec':'What runs.','kind':'The kind.'}},"
        + "'io.k8s.api.core.v1.Container':{'required':['name','notAProperty']}}").replace('\'', '"')));
    JsonNode schemas = new OpenApi(ResourceTypes.ALL, descriptions).document("", "v1").orElseThrow()
        .at("/components/schemas");
    JsonNode pod = schemas.get("io.k8s.api.core.v1.Pod");
    assertThat(pod.get("description").asText()).isEqualTo("A pod.");
    assertThat(pod.at("/properties/spec/description").asText()).isEqualTo("What runs.");
    assertThat(pod.at("/properties/spec/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodSpec");
    assertThat(pod.at("/properties/kind/description").asText()).isEqualTo("The kind.");
    assertThat(pod.at("/properties/status/description").isMissingNode()).isTrue();
    assertThat(schemas.at("/io.k8s.api.core.v1.Container/required").toString()).isEqualTo("[\"name\"]");
    JsonNode ports = schemas.at("/io.k8s.api.core.v1.Container/properties/ports");
    assertThat(ports.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
    assertThat(ports.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("containerPort");
    assertThat(schemas.at("/io.k8s.api.core.v1.PodSpec/properties/nodeSelector/x-kubernetes-patch-strategy")
        .isMissingNode()).isTrue();
  }

  @Test
  void apiextensionsDocumentDescribesCustomResourceDefinitionsDownToTheirRecursiveSchemas() throws Exception {
    JsonNode schemas = OPEN_API.document("apiextensions.k8s.io", "v1").orElseThrow().at("/components/schemas");
    String prefix = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";
    String ref = "#/components/schemas/" + prefix;

    JsonNode crd = schemas.get(prefix + "CustomResourceDefinition");
    assertThat(crd.get("x-kubernetes-group-version-kind")).isEqualTo(Json.parse(
        "[{\"group\":\"apiextensions.k8s.io\",\"kind\":\"CustomResourceDefinition\",\"version\":\"v1\"}]"
            .getBytes()));
    assertThat(crd.at("/properties/spec/allOf/0/$ref").asText()).isEqualTo(ref + "CustomResourceDefinitionSpec");
    assertThat(schemas.at("/" + prefix + "CustomResourceDefinitionList/x-kubernetes-group-version-kind/0/kind")
        .asText()).isEqualTo("CustomResourceDefinitionList");
    JsonNode spec = schemas.get(prefix + "CustomResourceDefinitionSpec");
    assertThat(spec.at("/properties/versions/items/allOf/0/$ref").asText())
        .isEqualTo(ref + "CustomResourceDefinitionVersion");
    assertThat(schemas.at("/" + prefix + "CustomResourceDefinitionVersion/properties/schema/allOf/0/$ref").asText())
        .isEqualTo(ref + "CustomResourceValidation");
    assertThat(schemas.at("/" + prefix + "CustomResourceValidation/properties/openAPIV3Schema/allOf/0/$ref")
        .asText()).isEqualTo(ref + "JSONSchemaProps");
    assertThat(schemas.at("/" + prefix + "CustomResourceConversion/properties/webhook/allOf/0/$ref").asText())
        .isEqualTo(ref + "WebhookConversion");

    // JSONSchemaProps: refers to itself, JSON names as in Go's tags, any JSON where Go decodes any value
    JsonNode props = schemas.get(prefix + "JSONSchemaProps").get("properties");
    assertThat(props.at("/properties/additionalProperties/allOf/0/$ref").asText()).isEqualTo(ref + "JSONSchemaProps");
    assertThat(props.at("/allOf/items/allOf/0/$ref").asText()).isEqualTo(ref + "JSONSchemaProps");
    assertThat(props.at("/not/allOf/0/$ref").asText()).isEqualTo(ref + "JSONSchemaProps");
    assertThat(props.at("/$ref/type").asText()).isEqualTo("string");
    assertThat(props.at("/$schema/type").asText()).isEqualTo("string");
    assertThat(props.at("/x-kubernetes-preserve-unknown-fields/type").asText()).isEqualTo("boolean");
    assertThat(props.at("/x-kubernetes-list-map-keys/items/type").asText()).isEqualTo("string");
    assertThat(props.at("/x-kubernetes-validations/items/allOf/0/$ref").asText()).isEqualTo(ref + "ValidationRule");
    assertThat(props.at("/maxLength/format").asText()).isEqualTo("int64");
    assertThat(props.at("/default/allOf/0/$ref").asText()).isEqualTo(ref + "JSON");
    assertThat(props.at("/example/allOf/0/$ref").asText()).isEqualTo(ref + "JSON");
    assertThat(props.at("/enum/items/allOf/0/$ref").asText()).isEqualTo(ref + "JSON");
    assertThat(props.at("/items/allOf/0/$ref").asText()).isEqualTo(ref + "JSONSchemaPropsOrArray");
    assertThat(props.at("/additionalProperties/allOf/0/$ref").asText()).isEqualTo(ref + "JSONSchemaPropsOrBool");
    assertThat(props.at("/dependencies/additionalProperties/allOf/0/$ref").asText())
        .isEqualTo(ref + "JSONSchemaPropsOrStringArray");
    assertThat(props.has("xKubernetesPreserveUnknownFields")).isFalse();
    assertThat(props.has("ref")).isFalse();
    for (String any : List.of("JSON", "JSONSchemaPropsOrArray", "JSONSchemaPropsOrBool",
        "JSONSchemaPropsOrStringArray")) {
      JsonNode definition = schemas.get(prefix + any);
      assertThat(definition.has("type")).as(any).isFalse();
      assertThat(definition.has("properties")).as(any).isFalse();
      assertThat(definition.get("description").asText()).as(any).startsWith(any + " ");
    }
  }

  @Test
  void appsDocumentCarriesTheCoreSchemasItRefersTo() {
    JsonNode schemas = OPEN_API.document("apps", "v1").orElseThrow().at("/components/schemas");
    assertThat(schemas.has("io.k8s.api.apps.v1.Deployment")).isTrue();
    assertThat(schemas.has("io.k8s.api.core.v1.PodTemplateSpec")).isTrue();
    assertThat(schemas.has("io.k8s.api.autoscaling.v1.Scale")).isTrue();
    assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentStrategy/properties/rollingUpdate/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.RollingUpdateDeployment");
    assertThat(schemas.has("io.k8s.api.core.v1.Pod")).isFalse();
  }

  @Test
  void operationGroupsAreCamelCased() {
    assertThat(OpenApi.operationGroup("")).isEqualTo("Core");
    assertThat(OpenApi.operationGroup("apps")).isEqualTo("Apps");
    assertThat(OpenApi.operationGroup("discovery.k8s.io")).isEqualTo("Discovery");
    assertThat(OpenApi.operationGroup("rbac.authorization.k8s.io")).isEqualTo("RbacAuthorization");
  }
}
