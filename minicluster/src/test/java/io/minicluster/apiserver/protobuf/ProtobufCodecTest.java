package io.minicluster.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import io.minicluster.api.ApiException;
import io.minicluster.apiserver.schema.ApiDescriptors;
import io.minicluster.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtobufCodecTest {

  /** Encodes as client-go does: magic, then runtime.Unknown around the object's bytes. */
  static byte[] envelope(String apiVersion, String kind, Message object) {
    Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(object.toByteString())
        .setContentEncoding("")
        .setContentType("")
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ProtobufCodec.MAGIC);
    out.writeBytes(unknown.toByteArray());
    return out.toByteArray();
  }

  /** ObjectMeta as Go's marshaller writes it: every non-pointer field present, zero Time as an empty message. */
  private static Meta.ObjectMeta.Builder goMeta(String name, String namespace) {
    return Meta.ObjectMeta.newBuilder()
        .setName(name).setGenerateName("").setNamespace(namespace).setSelfLink("").setUid("")
        .setResourceVersion("").setGeneration(0).setCreationTimestamp(Meta.Time.newBuilder());
  }

  private static V1.Container.Builder goContainer(String name, String image) {
    return V1.Container.newBuilder()
        .setName(name).setImage(image).setWorkingDir("").setResources(V1.ResourceRequirements.newBuilder())
        .setTerminationMessagePath("").setTerminationMessagePolicy("").setImagePullPolicy("")
        .setStdin(false).setStdinOnce(false).setTty(false);
  }

  @Test
  void decodesHelmReleaseSecretWithBytesMap() {
    byte[] release = "H4sIAAAA-release".getBytes(StandardCharsets.UTF_8);
    V1.Secret secret = V1.Secret.newBuilder()
        .setMetadata(goMeta("sh.helm.release.v1.web.v1", "default")
            .putLabels("owner", "helm").putLabels("name", "web").putLabels("version", "1"))
        .putData("release", ByteString.copyFrom(release))
        .setType("helm.sh/release.v1")
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("v1", "Secret", secret));

    assertThat(json).isEqualTo(Json.parseObject("""
        {"kind":"Secret","apiVersion":"v1",
         "metadata":{"name":"sh.helm.release.v1.web.v1","namespace":"default",
                     "labels":{"name":"web","owner":"helm","version":"1"}},
         "data":{"release":"SDRzSUFBQUEtcmVsZWFzZQ=="},
         "type":"helm.sh/release.v1"}
        """));
    assertThat(Json.string(json.get("metadata").get("labels"))).isEqualTo(
        "{\"name\":\"web\",\"owner\":\"helm\",\"version\":\"1\"}");
  }

  @Test
  void decodesDeploymentAsKubectlCreateDeploymentSendsIt() {
    Meta.LabelSelector selector = Meta.LabelSelector.newBuilder().putMatchLabels("app", "web").build();
    V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(goMeta("web", "").putLabels("app", "web"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder()
            .setReplicas(2)
            .setSelector(selector)
            .setTemplate(V1.PodTemplateSpec.newBuilder()
                .setMetadata(goMeta("", "").putLabels("app", "web"))
                .setSpec(V1.PodSpec.newBuilder()
                    .addContainers(goContainer("nginx", "nginx"))
                    .setRestartPolicy("").setDnsPolicy("").setServiceAccountName("").setServiceAccount("")
                    .setNodeName("").setHostNetwork(false).setHostPID(false).setHostIPC(false)
                    .setHostname("").setSubdomain("").setSchedulerName("")))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType(""))
            .setMinReadySeconds(0)
            .setPaused(false))
        .setStatus(V1Apps.DeploymentStatus.newBuilder()
            .setObservedGeneration(0).setReplicas(0).setUpdatedReplicas(0).setReadyReplicas(0)
            .setAvailableReplicas(0).setUnavailableReplicas(0))
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("apps/v1", "Deployment", deployment));

    assertThat(json).isEqualTo(Json.parseObject("""
        {"kind":"Deployment","apiVersion":"apps/v1",
         "metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                             "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
                 "strategy":{}},
         "status":{}}
        """));
  }

  @Test
  void decodesManagedFieldsAsAClientSendsThemBack() {
    // FieldsV1's one field is "Raw" in the upstream proto (RawExtension's is "raw")
    V1.ConfigMap configMap = V1.ConfigMap.newBuilder()
        .setMetadata(goMeta("settings", "default").addManagedFields(Meta.ManagedFieldsEntry.newBuilder()
            .setManager("kubectl-create").setOperation("Update").setApiVersion("v1").setFieldsType("FieldsV1")
            .setFieldsV1(Meta.FieldsV1.newBuilder()
                .setRaw(ByteString.copyFromUtf8("{\"f:data\":{\"f:mode\":{}}}")))))
        .putData("mode", "dark")
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("v1", "ConfigMap", configMap));

    assertThat(json.at("/metadata/managedFields/0")).isEqualTo(Json.parseObject("""
        {"manager":"kubectl-create","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1",
         "fieldsV1":{"f:data":{"f:mode":{}}}}"""));
  }

  @Test
  void keepsPresentZeroOfPointerFields() {
    V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(goMeta("web", "ns"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setRevisionHistoryLimit(0))
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("apps/v1", "Deployment", deployment));

    assertThat(json.get("spec")).isEqualTo(Json.parseObject("{\"replicas\":0,\"revisionHistoryLimit\":0}"));
  }

  @Test
  void decodesServiceWithIntOrStringAndKeepsPortNumbers() {
    V1.Service service = V1.Service.newBuilder()
        .setMetadata(goMeta("web", "default"))
        .setSpec(V1.ServiceSpec.newBuilder()
            .setType("ClusterIP")
            .putSelector("app", "web")
            .addPorts(V1.ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80).setNodePort(0)
                .setTargetPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080).setStrVal("")))
            .addPorts(V1.ServicePort.newBuilder().setName("named").setProtocol("TCP").setPort(443)
                .setTargetPort(IntStr.IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal("https"))))
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("v1", "Service", service));

    assertThat(json.get("spec")).isEqualTo(Json.parseObject("""
        {"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080},
                  {"name":"named","protocol":"TCP","port":443,"targetPort":"https"}],
         "selector":{"app":"web"},"type":"ClusterIP"}
        """));
  }

  @Test
  void convertsTimesQuantitiesAndInlineStructs() {
    V1.Pod pod = V1.Pod.newBuilder()
        .setMetadata(goMeta("p", "default")
            .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1704164645L).setNanos(0))
            .setDeletionTimestamp(Meta.Time.newBuilder().setSeconds(1704164645L).setNanos(999_000_000)))
        .setSpec(V1.PodSpec.newBuilder()
            .addContainers(goContainer("c", "busybox")
                .setResources(V1.ResourceRequirements.newBuilder()
                    .putLimits("memory", Resource.Quantity.newBuilder().setString("64Mi").build())
                    .putRequests("cpu", Resource.Quantity.newBuilder().setString("100m").build()))
                .addEnv(V1.EnvVar.newBuilder().setName("K").setValueFrom(V1.EnvVarSource.newBuilder()
                    .setConfigMapKeyRef(V1.ConfigMapKeySelector.newBuilder()
                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("cm"))
                        .setKey("k"))))
                .setLivenessProbe(V1.Probe.newBuilder()
                    .setHandler(V1.ProbeHandler.newBuilder()
                        .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/").setPort(
                            IntStr.IntOrString.newBuilder().setType(0).setIntVal(80))))
                    .setPeriodSeconds(0)))
            .addVolumes(V1.Volume.newBuilder().setName("data").setVolumeSource(V1.VolumeSource.newBuilder()
                .setEmptyDir(V1.EmptyDirVolumeSource.newBuilder()))))
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("v1", "Pod", pod));

    assertThat(json.get("metadata").get("creationTimestamp").asText()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(json.get("metadata").get("deletionTimestamp").asText()).isEqualTo("2024-01-02T03:04:05Z");
    ObjectNode container = (ObjectNode) json.get("spec").get("containers").get(0);
    assertThat(container.get("resources")).isEqualTo(
        Json.parseObject("{\"limits\":{\"memory\":\"64Mi\"},\"requests\":{\"cpu\":\"100m\"}}"));
    assertThat(container.get("env").get(0)).isEqualTo(
        Json.parseObject("{\"name\":\"K\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"cm\",\"key\":\"k\"}}}"));
    assertThat(container.get("livenessProbe")).isEqualTo(
        Json.parseObject("{\"httpGet\":{\"path\":\"/\",\"port\":80}}"));
    assertThat(json.get("spec").get("volumes").get(0)).isEqualTo(
        Json.parseObject("{\"name\":\"data\",\"emptyDir\":{}}"));
  }

  @Test
  void decodesMicroTimeOfSupplementalLease() throws Exception {
    var leaseDescriptor = ApiDescriptors.find("coordination.k8s.io/v1", "Lease").orElseThrow();
    var specDescriptor = leaseDescriptor.findFieldByName("spec").getMessageType();
    Message lease = DynamicMessage.newBuilder(leaseDescriptor)
        .setField(leaseDescriptor.findFieldByName("metadata"), goMeta("node-1", "kube-node-lease").build())
        .setField(leaseDescriptor.findFieldByName("spec"), DynamicMessage.newBuilder(specDescriptor)
            .setField(specDescriptor.findFieldByName("holderIdentity"), "node-1")
            .setField(specDescriptor.findFieldByName("leaseDurationSeconds"), 40)
            .setField(specDescriptor.findFieldByName("renewTime"),
                Meta.MicroTime.newBuilder().setSeconds(1704164645L).setNanos(123_456_789).build())
            .build())
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("coordination.k8s.io/v1", "Lease", lease));

    assertThat(json.get("spec")).isEqualTo(Json.parseObject("""
        {"holderIdentity":"node-1","leaseDurationSeconds":40,"renewTime":"2024-01-02T03:04:05.123456Z"}
        """));
  }

  @Test
  void decodesSupplementalRuntimeClassWithItsOverheadQuantities() {
    var classDescriptor = ApiDescriptors.find("node.k8s.io/v1", "RuntimeClass").orElseThrow();
    var overheadDescriptor = classDescriptor.findFieldByName("overhead").getMessageType();
    var entryDescriptor = overheadDescriptor.findFieldByName("podFixed").getMessageType();
    Message runtimeClass = DynamicMessage.newBuilder(classDescriptor)
        .setField(classDescriptor.findFieldByName("metadata"), goMeta("kata", "").build())
        .setField(classDescriptor.findFieldByName("handler"), "kata")
        .setField(classDescriptor.findFieldByName("overhead"), DynamicMessage.newBuilder(overheadDescriptor)
            .addRepeatedField(overheadDescriptor.findFieldByName("podFixed"), DynamicMessage.newBuilder(entryDescriptor)
                .setField(entryDescriptor.findFieldByName("key"), "cpu")
                .setField(entryDescriptor.findFieldByName("value"),
                    Resource.Quantity.newBuilder().setString("250m").build())
                .build())
            .build())
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("node.k8s.io/v1", "RuntimeClass", runtimeClass));

    assertThat(json.get("handler").asText()).isEqualTo("kata");
    assertThat(json.get("overhead")).isEqualTo(Json.parseObject("{\"podFixed\":{\"cpu\":\"250m\"}}"));
  }

  @Test
  void decodesDeleteOptionsAndSelfSubjectAccessReview() {
    Meta.DeleteOptions options = Meta.DeleteOptions.newBuilder()
        .setGracePeriodSeconds(0).setPropagationPolicy("Background").build();
    assertThat(ProtobufCodec.decode(envelope("v1", "DeleteOptions", options))).isEqualTo(Json.parseObject(
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
            + "\"propagationPolicy\":\"Background\"}"));

    V1Authorization.SelfSubjectAccessReview review = V1Authorization.SelfSubjectAccessReview.newBuilder()
        .setMetadata(goMeta("", ""))
        .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder()
            .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder()
                .setNamespace("default").setVerb("create").setGroup("").setVersion("").setResource("pods")
                .setSubresource("").setName("")))
        .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder().setAllowed(false).setDenied(false)
            .setReason("").setEvaluationError(""))
        .build();
    ObjectNode json = ProtobufCodec.decode(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review));
    assertThat(json.get("spec")).isEqualTo(Json.parseObject(
        "{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"create\",\"resource\":\"pods\"}}"));
    assertThat(json.get("status")).isEqualTo(Json.parseObject("{\"allowed\":false}"));
  }

  @Test
  void decodesEmbeddedRawExtensionAsJson() {
    V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
        .setMetadata(goMeta("rev", "default"))
        .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("{\"spec\":{\"a\":1}}")))
        .setRevision(3)
        .build();

    ObjectNode json = ProtobufCodec.decode(envelope("apps/v1", "ControllerRevision", revision));

    assertThat(json.get("data")).isEqualTo(Json.parseObject("{\"spec\":{\"a\":1}}"));
    assertThat(json.get("revision").asLong()).isEqualTo(3);
  }

  @Test
  void decodesCustomResourceDefinitionsWithTheirJsonValuesAndSchemaUnions() {
    Descriptor crd = ApiDescriptors.find("apiextensions.k8s.io/v1", "CustomResourceDefinition").orElseThrow();
    Descriptor props = crd.getFile().findMessageTypeByName("JSONSchemaProps");
    Descriptor orArray = crd.getFile().findMessageTypeByName("JSONSchemaPropsOrArray");
    Descriptor orBool = crd.getFile().findMessageTypeByName("JSONSchemaPropsOrBool");
    Descriptor orStrings = crd.getFile().findMessageTypeByName("JSONSchemaPropsOrStringArray");
    Descriptor json = crd.getFile().findMessageTypeByName("JSON");
    Descriptor entry = props.findNestedTypeByName("PropertiesEntry");
    DynamicMessage string = message(props, "type", "string");
    DynamicMessage schema = message(props, "type", "object", "ref", "#/x", "xKubernetesListType", "atomic",
        "xKubernetesPreserveUnknownFields", true,
        "properties", List.of(
            message(entry, "key", "n", "value", message(props, "type", "integer",
                "default", message(json, "raw", ByteString.copyFromUtf8("1")),
                "example", message(json, "raw", ByteString.copyFromUtf8("{\"any\":[1,\"two\"]}")))),
            message(entry, "key", "tags", "value", message(props, "type", "array",
                "items", message(orArray, "schema", string),
                "enum", List.of(message(json, "raw", ByteString.copyFromUtf8("[\"a\"]")),
                    message(json, "raw", ByteString.copyFromUtf8("null"))))),
            message(entry, "key", "tuple", "value", message(props,
                "items", message(orArray, "jSONSchemas", List.of(string, message(props, "type", "integer")))))),
        "additionalProperties", message(orBool, "allows", true),
        "additionalItems", message(orBool, "schema", string),
        "dependencies", List.of(message(props.findNestedTypeByName("DependenciesEntry"), "key", "a",
            "value", message(orStrings, "property", List.of("b")))));
    Descriptor version = crd.getFile().findMessageTypeByName("CustomResourceDefinitionVersion");
    Descriptor validation = crd.getFile().findMessageTypeByName("CustomResourceValidation");
    DynamicMessage object = message(crd, "metadata", goMeta("gadgets.example.com", "").build(),
        "spec", message(crd.getFile().findMessageTypeByName("CustomResourceDefinitionSpec"), "group", "example.com",
            "versions", List.of(message(version, "name", "v1", "served", true, "storage", true,
                "schema", message(validation, "openAPIV3Schema", schema)))));

    ObjectNode decoded = ProtobufCodec.decode(envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition",
        object));

    assertThat(decoded.at("/spec/versions/0/schema/openAPIV3Schema")).isEqualTo(Json.parseObject("""
        {"type":"object","$ref":"#/x","x-kubernetes-list-type":"atomic","x-kubernetes-preserve-unknown-fields":true,
         "properties":{
          "n":{"type":"integer","default":1,"example":{"any":[1,"two"]}},
          "tags":{"type":"array","items":{"type":"string"},"enum":[["a"],null]},
          "tuple":{"items":[{"type":"string"},{"type":"integer"}]}},
         "additionalProperties":true,"additionalItems":{"type":"string"},"dependencies":{"a":["b"]}}
        """));
    assertThat(decoded.at("/spec/versions/0/served").asBoolean()).isTrue();
  }

  /** A message of a descriptor from field names and values (lists for repeated fields). */
  private static DynamicMessage message(Descriptor type, Object... namesAndValues) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      FieldDescriptor field = type.findFieldByName((String) namesAndValues[i]);
      if (field.isRepeated()) {
        ((List<?>) namesAndValues[i + 1]).forEach(value -> builder.addRepeatedField(field, value));
      } else {
        builder.setField(field, namesAndValues[i + 1]);
      }
    }
    return builder.build();
  }

  @Test
  void rejectsBodiesThatAreNotEnvelopedProtobuf() {
    assertThatThrownBy(() -> ProtobufCodec.decode("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.reason()).isEqualTo("BadRequest");
          assertThat(e.getMessage()).contains("does not appear to be a protobuf message");
        });
    byte[] garbage = {0x6b, 0x38, 0x73, 0x00, (byte) 0xff, (byte) 0xff, 0x01};
    assertThatThrownBy(() -> ProtobufCodec.decode(garbage))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    byte[] truncatedPod = envelope("v1", "Pod", V1.Pod.newBuilder().setMetadata(goMeta("p", "d")).build());
    byte[] broken = Arrays.copyOf(truncatedPod, truncatedPod.length - 3);
    assertThatThrownBy(() -> ProtobufCodec.decode(broken))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void rejectsUnknownKinds() {
    assertThatThrownBy(() -> ProtobufCodec.decode(envelope("v1", "PodSpec", V1.PodSpec.getDefaultInstance())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
            .isEqualTo("no kind \"PodSpec\" is registered for version \"v1\""));
  }

  @Test
  void formatsGoDurations() {
    assertThat(GoDuration.format(0)).isEqualTo("0s");
    assertThat(GoDuration.format(90_000_000_000L)).isEqualTo("1m30s");
    assertThat(GoDuration.format(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoDuration.format(1_500_000L)).isEqualTo("1.5ms");
    assertThat(GoDuration.format(2_500_000_000L)).isEqualTo("2.5s");
  }
}
