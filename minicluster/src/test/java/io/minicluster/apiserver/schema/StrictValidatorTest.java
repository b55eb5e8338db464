package io.minicluster.apiserver.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictValidatorTest {
  private static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"web","labels":{"app":"web","any/key":"x"},"annotations":{"a.b/c":"d"}},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},
         "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"nodeSelector":{"kubernetes.io/os":"linux"},
             "containers":[{"name":"nginx","image":"nginx:1.27","imagePullPolicy":"IfNotPresent",
               "ports":[{"containerPort":80,"protocol":"TCP"}],
               "env":[{"name":"K","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k","optional":true}}}],
               "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":1}},
               "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":5},
               "volumeMounts":[{"name":"data","mountPath":"/data"}]}],
             "volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"cm"}}]}}}}
      """;

  @Test
  void acceptsValidDeploymentServiceConfigMapAndSecret() {
    assertThat(StrictValidator.unknownFields("apps/v1", "Deployment", Json.parseObject(DEPLOYMENT))).isEmpty();
    assertThat(StrictValidator.typeErrors("apps/v1", "Deployment", Json.parseObject(DEPLOYMENT))).isEmpty();
    String service = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
         "spec":{"type":"NodePort","selector":{"app":"web"},"sessionAffinity":"None",
           "ports":[{"name":"http","port":80,"targetPort":8080,"nodePort":30080,"protocol":"TCP"}]}}
        """;
    assertThat(StrictValidator.unknownFields("v1", "Service", Json.parseObject(service))).isEmpty();
    String configMap = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","creationTimestamp":null},
         "data":{"key.txt":"v","other":"w"},"binaryData":{"b":"AAEC"},"immutable":false}
        """;
    assertThat(StrictValidator.unknownFields("v1", "ConfigMap", Json.parseObject(configMap))).isEmpty();
    assertThat(StrictValidator.typeErrors("v1", "ConfigMap", Json.parseObject(configMap))).isEmpty();
    String secret = """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque",
         "data":{"a":"YQ=="},"stringData":{"b":"c"}}
        """;
    assertThat(StrictValidator.unknownFields("v1", "Secret", Json.parseObject(secret))).isEmpty();
  }

  @Test
  void v1beta3KindsAreCheckedAgainstTheirOwnFieldNames() {
    String pod = """
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"p"},
         "spec":{"host":"n1","nodeName":"n1","serviceAccount":"robot","serviceAccountName":"robot",
           "containers":[{"name":"c","image":"i","privileged":true,"capabilities":{"add":["NET_ADMIN"]}}]},
         "status":{"Condition":[{"type":"Ready","status":"True"}],"conditions":[],
           "containerStatuses":[{"name":"c","state":{"termination":{"exitCode":0}},"lastState":{"terminated":{}}}]}}
        """;
    assertThat(StrictValidator.unknownFields("v1beta3", "Pod", Json.parseObject(pod))).containsExactly(
        "spec.nodeName", "spec.serviceAccountName", "status.conditions",
        "status.containerStatuses[0].lastState.terminated");
    assertThat(StrictValidator.unknownFields("v1", "Pod", Json.parseObject(pod))).contains(
        "spec.host", "spec.containers[0].privileged", "status.Condition");
    String service = """
        {"apiVersion":"v1beta3","kind":"Service","metadata":{"name":"s"},
         "spec":{"portalIP":"10.0.0.1","publicIPs":["1.2.3.4"],"createExternalLoadBalancer":true,"clusterIP":"x",
           "ports":[{"port":80,"targetPort":"http"}]}}
        """;
    assertThat(StrictValidator.unknownFields("v1beta3", "Service", Json.parseObject(service)))
        .containsExactly("spec.clusterIP");
    assertThat(StrictValidator.typeErrors("v1beta3", "Pod", Json.parseObject(
        "{\"spec\":{\"containers\":[{\"name\":\"c\",\"privileged\":\"yes\"}]}}"))).containsExactly(
        "json: cannot unmarshal string into Go struct field Container.spec.containers.privileged of type bool");
    assertThat(StrictValidator.typeErrors("v1beta3", "ReplicationController", Json.parseObject(
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":{}}}}}"))).containsExactly(
        "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type "
            + "[]v1beta3.Container");
  }

  @Test
  void reportsMisspelledFieldsAtSeveralDepthsWithKubernetesPaths() {
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","app":"x","labels":{"whatever":"ok"}},
         "spec":{"nodename":"n",
           "containers":[{"name":"a","image":"i"},
                         {"name":"b","image":"i","imagePullPolicyy":"Always",
                          "ports":[{"containerPort":80,"hostport":8080}],
                          "securityContext":{"runAsUser":0,"privileged":true,"capabilities":{"addd":["NET_ADMIN"]}}}]},
         "statuss":{}}
        """;

    assertThat(StrictValidator.unknownFields("v1", "Pod", Json.parseObject(pod))).containsExactly(
        "metadata.app",
        "spec.nodename",
        "spec.containers[1].imagePullPolicyy",
        "spec.containers[1].ports[0].hostport",
        "spec.containers[1].securityContext.capabilities.addd",
        "statuss");
  }

  @Test
  void reportsUnknownFieldsInSupplementalKinds() {
    String slice = """
        {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"s"},"addressType":"IPv4",
         "endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":true,"bogus":1}}],
         "ports":[{"name":"http","port":80}]}
        """;
    assertThat(StrictValidator.unknownFields("discovery.k8s.io/v1", "EndpointSlice", Json.parseObject(slice)))
        .containsExactly("endpoints[0].conditions.bogus");
  }

  /**
   * A definition using what real-world CRDs use: schema values of any JSON type (default, example, enum), items and
   * additionalProperties as a schema or an array or a bool, the x-kubernetes-* extensions, $ref-free int-or-string,
   * conversion webhooks.
   */
  private static final String CRD = """
      {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
       "metadata":{"name":"gadgets.example.com"},
       "spec":{"group":"example.com","scope":"Namespaced","preserveUnknownFields":false,
        "names":{"plural":"gadgets","kind":"Gadget","shortNames":["gd"],"categories":["all"]},
        "conversion":{"strategy":"Webhook","webhook":{"conversionReviewVersions":["v1"],
         "clientConfig":{"caBundle":"Y2E=","service":{"namespace":"ns","name":"conv","path":"/c","port":8443}}}},
        "versions":[{"name":"v1","served":true,"storage":true,"deprecated":false,
         "subresources":{"status":{},"scale":{"specReplicasPath":".spec.n","statusReplicasPath":".status.n"}},
         "additionalPrinterColumns":[{"name":"N","type":"integer","jsonPath":".spec.n","priority":0}],
         "selectableFields":[{"jsonPath":".spec.mode"}],
         "schema":{"openAPIV3Schema":{"type":"object","description":"A gadget.","properties":{
          "spec":{"type":"object","required":["n"],
           "x-kubernetes-validations":[{"rule":"self.n >= 0","message":"n","reason":"FieldValueInvalid",
            "fieldPath":".n","messageExpression":"'n'","optionalOldSelf":false}],
           "properties":{
            "n":{"type":"integer","format":"int32","minimum":0,"maximum":1.5e3,"multipleOf":1,"default":1,
             "example":42},
            "mode":{"type":"string","enum":["a","b",null],"nullable":true,"default":"a","pattern":"^[ab]$",
             "maxLength":1,"minLength":1},
            "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
            "config":{"type":"object","default":{"nested":{"list":[1,"two",{"three":3}]}},
             "example":{"any":"thing"},"x-kubernetes-preserve-unknown-fields":true},
            "labels":{"type":"object","additionalProperties":{"type":"string"},"x-kubernetes-map-type":"atomic"},
            "open":{"type":"object","additionalProperties":true},
            "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
             "maxItems":4,"minItems":0,"uniqueItems":false,
             "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}},
            "tuple":{"type":"array","items":[{"type":"string"},{"type":"integer"}]},
            "template":{"type":"object","x-kubernetes-embedded-resource":true,
             "x-kubernetes-preserve-unknown-fields":true},
            "choice":{"oneOf":[{"required":["a"]},{"required":["b"]}],"not":{"required":["c"]},
             "allOf":[{"minProperties":0}],"maxProperties":3,"externalDocs":{"url":"https://example.com"}}}},
          "status":{"type":"object","properties":{"n":{"type":"integer"}}}}}}}]},
       "status":{"conditions":[{"type":"Established","status":"True","lastTransitionTime":"2024-01-02T03:04:05Z",
        "reason":"InitialNamesAccepted","message":"ok"}],"acceptedNames":{"plural":"gadgets","kind":"Gadget"},
        "storedVersions":["v1"]}}
      """;

  @Test
  void customResourceDefinitionsAcceptAnyJsonWhereTheirGoTypesDo() {
    assertThat(StrictValidator.unknownFields("apiextensions.k8s.io/v1", "CustomResourceDefinition",
        Json.parseObject(CRD))).isEmpty();
    assertThat(StrictValidator.typeErrors("apiextensions.k8s.io/v1", "CustomResourceDefinition",
        Json.parseObject(CRD))).isEmpty();
  }

  @Test
  void customResourceDefinitionsReportUnknownFieldsOfTheirSchemasAsTheStrictDecoderDoes() {
    // JSONSchemaProps is a struct (properties a map of them); items and additionalProperties decode themselves
    // leniently, as apiextensions' UnmarshalJSON does
    String crd = CRD.replace("\"minimum\":0,", "\"minimum\":0,\"minimun\":0,")
        .replace("\"items\":{\"type\":\"object\",", "\"items\":{\"type\":\"object\",\"lenient\":1,")
        .replace("\"plural\":\"gadgets\",\"kind\"", "\"plural\":\"gadgets\",\"kindd\":\"x\",\"kind\"");
    assertThat(StrictValidator.unknownFields("apiextensions.k8s.io/v1", "CustomResourceDefinition",
        Json.parseObject(crd))).containsExactly("spec.names.kindd",
        "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.n.minimun", "status.acceptedNames.kindd");
    String typed = CRD.replace("\"served\":true", "\"served\":\"yes\"");
    assertThat(StrictValidator.typeErrors("apiextensions.k8s.io/v1", "CustomResourceDefinition",
        Json.parseObject(typed))).containsExactly("json: cannot unmarshal string into Go struct field "
        + "CustomResourceDefinitionVersion.spec.versions.served of type bool");
  }

  @Test
  void unknownKindsAreNotChecked() {
    assertThat(StrictValidator.unknownFields("example.com/v1", "Widget", Json.parseObject("{\"x\":1}"))).isEmpty();
  }

  @Test
  void reportsTypeErrorsAsGoEncodingJson() {
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
         "spec":{"containers":"nginx"}}
        """;
    assertThat(StrictValidator.typeErrors("v1", "Pod", Json.parseObject(pod))).containsExactly(
        "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container");

    String port = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":1}},
         "spec":{"containers":[{"name":"c","ports":[{"containerPort":"80"}]}]}}
        """;
    assertThat(StrictValidator.typeErrors("v1", "Pod", Json.parseObject(port))).containsExactly(
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels.a of type string",
        "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort"
            + " of type int32");

    String replicas = """
        {"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":1.5,"paused":"yes"}}
        """;
    assertThat(StrictValidator.typeErrors("apps/v1", "Deployment", Json.parseObject(replicas))).containsExactly(
        "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool");
  }

  @Test
  void scalarSpecialTypesAcceptTheirWireForms() {
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":"2024-01-02T03:04:05Z",
          "deletionTimestamp":null},
         "spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":2,"memory":"1Gi"}},
           "livenessProbe":{"tcpSocket":{"port":8080}},"readinessProbe":{"tcpSocket":{"port":"http"}}}]}}
        """;
    assertThat(StrictValidator.typeErrors("v1", "Pod", Json.parseObject(pod))).isEmpty();
    String badTime = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"yesterday"}}
        """;
    assertThat(StrictValidator.typeErrors("v1", "Pod", Json.parseObject(badTime))).hasSize(1);
    String badQuantity = """
        {"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"resources":{"limits":{"cpu":{}}}}]}}
        """;
    assertThat(StrictValidator.typeErrors("v1", "Pod", Json.parseObject(badQuantity))).hasSize(1);
  }

  @Test
  void strictModeRejectsUnknownAndDuplicateFieldsWithTheApiserverWording() {
    byte[] body = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","name":"b"},
         "spec":{"replicas":1,"foo":1,"template":{"spec":{"containers":[{"name":"c","imagee":"x"}]}}}}
        """.getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> FieldValidation.STRICT.decode(body))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.reason()).isEqualTo("BadRequest");
          assertThat(e.getMessage()).isEqualTo("Deployment in version \"v1\" cannot be handled as a Deployment: "
              + "strict decoding error: duplicate field \"metadata.name\", unknown field \"spec.foo\", "
              + "unknown field \"spec.template.spec.containers[0].imagee\"");
        });
  }

  @Test
  void warnModeReturnsWarningsAndIgnoreModeNothing() {
    byte[] body = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"},"dat":{}}
        """.getBytes(StandardCharsets.UTF_8);

    FieldValidation.Decoded warned = FieldValidation.WARN.decode(body);
    assertThat(warned.warnings()).containsExactly("unknown field \"dat\"");
    assertThat(FieldValidation.warningHeader(warned.warnings().get(0)))
        .isEqualTo("299 - \"unknown field \\\"dat\\\"\"");
    assertThat(warned.object().get("data").get("k").asText()).isEqualTo("v");

    FieldValidation.Decoded ignored = FieldValidation.IGNORE.decode(body);
    assertThat(ignored.warnings()).isEmpty();
  }

  @Test
  void duplicatesKeepTheLastValueWhenNotStrict() {
    byte[] body = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"b"}}
        """.getBytes(StandardCharsets.UTF_8);
    FieldValidation.Decoded decoded = FieldValidation.WARN.decode(body);
    assertThat(decoded.object().get("metadata").get("name").asText()).isEqualTo("b");
    assertThat(decoded.warnings()).containsExactly("duplicate field \"metadata.name\"");
  }

  @Test
  void typeErrorsAreRejectedInEveryMode() {
    byte[] body = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":"nginx"}}
        """.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FieldValidation.IGNORE.decode(body))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field"
                + " PodSpec.spec.containers of type []v1.Container"));
  }

  @Test
  void findsDuplicatePathsInsideArrays() {
    byte[] body = """
        {"a":[{"x":1},{"y":1,"y":2,"z":[1,{"q":1,"q":2}]}],"b":1,"b":2}
        """.getBytes(StandardCharsets.UTF_8);
    assertThat(FieldValidation.duplicateFields(body)).containsExactly("a[1].y", "a[1].z[1].q", "b");
  }

  @Test
  void parsesTheDirective() {
    assertThat(FieldValidation.parse("Strict")).isEqualTo(FieldValidation.STRICT);
    assertThat(FieldValidation.parse(null)).isEqualTo(FieldValidation.WARN);
    assertThat(FieldValidation.parse("Ignore")).isEqualTo(FieldValidation.IGNORE);
    assertThatThrownBy(() -> FieldValidation.parse("strictly")).isInstanceOf(ApiException.class);
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = StrictValidatorTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void kubectlCreateFBodyWithMisspelledFieldIsRejected() throws Exception {
    byte[] body = fixture("kubectl-create-f-pod-misspelled.json");
    assertThatThrownBy(() -> FieldValidation.STRICT.decode(body))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
                + "unknown field \"spec.containers[0].imagePullPolicyy\""));
  }

  @Test
  void kubectlClientSideApplyBodyIsAccepted() throws Exception {
    FieldValidation.Decoded decoded = FieldValidation.STRICT.decode(fixture("kubectl-apply-deployment.json"));
    assertThat(decoded.warnings()).isEmpty();
    assertThat(decoded.object().at("/metadata/name").asText()).isEqualTo("d1");
  }

  @Test
  void singleItemsStructsStayObjectsWhileNamedSlicesAreArrays() {
    String pod = """
        {"apiVersion":"v1","kind":"Pod","spec":{"volumes":[{"name":"v","projected":{"sources":[
          {"downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}}]}}]}}
        """;
    assertThat(StrictValidator.unknownFields("v1", "Pod", Json.parseObject(pod))).isEmpty();
    assertThat(StrictValidator.typeErrors("v1", "Pod", Json.parseObject(pod))).isEmpty();
    String review = """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
         "spec":{"user":"u","extra":{"scopes":["a","b"]},"resourceAttributes":{"verb":"get"}}}
        """;
    assertThat(StrictValidator.typeErrors("authorization.k8s.io/v1", "SubjectAccessReview",
        Json.parseObject(review))).isEmpty();
    assertThat(StrictValidator.unknownFields("authorization.k8s.io/v1", "SubjectAccessReview",
        Json.parseObject(review))).isEmpty();
  }

  @Test
  void bodiesWithoutTypeAreCheckedAgainstTheAddressedType() {
    byte[] body = "{\"metadata\":{\"name\":\"a\"},\"dataa\":{}}".getBytes(StandardCharsets.UTF_8);
    assertThat(FieldValidation.WARN.decode(body, "v1", "ConfigMap").warnings())
        .containsExactly("unknown field \"dataa\"");
    assertThat(FieldValidation.WARN.decode(body).warnings()).isEmpty();
  }
}
