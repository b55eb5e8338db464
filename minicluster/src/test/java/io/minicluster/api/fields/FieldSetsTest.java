package io.minicluster.api.fields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSetsTest {

  private static ResourceType type(String plural, String group) {
    return ResourceTypes.ALL.stream().filter(t -> t.plural().equals(plural) && t.group().equals(group))
        .findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0}/{1}: {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "pods|``|spec.nodeName=n|spec.nodeName=n",
      "pods|``|spec.host=n|spec.nodeName=n",
      "pods|``|status.podIPs=1.2.3.4|status.podIPs=1.2.3.4",
      "pods|``|metadata.namespace=x,status.phase!=Running|metadata.namespace=x,status.phase!=Running",
      "nodes|``|spec.unschedulable=false|spec.unschedulable=false",
      "namespaces|``|status.phase=Active|status.phase=Active",
      "secrets|``|type=Opaque|type=Opaque",
      "services|``|spec.type=ClusterIP|spec.type=ClusterIP",
      "replicationcontrollers|``|status.replicas=1|status.replicas=1",
      "events|``|involvedObject.name=web,reason=Started|involvedObject.name=web,reason=Started",
      "events|events.k8s.io|regarding.name=web,reportingController=kubelet|involvedObject.name=web,reportingComponent=kubelet",
      "configmaps|``|metadata.name=x|metadata.name=x",
      "deployments|apps|metadata.namespace=x|metadata.namespace=x",
  })
  void acceptsAndConvertsSupportedFields(String plural, String group, String selector, String converted) {
    assertThat(FieldSets.validate(type(plural, group), FieldSelector.parse(selector)).toString())
        .isEqualTo(converted);
  }

  @ParameterizedTest(name = "{0}/{1}: {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "pods|``|foo=x|field label not supported: foo",
      "pods|``|status.hostIP=x|field label not supported: status.hostIP",
      "nodes|``|metadata.namespace=x|field label not supported: metadata.namespace",
      "namespaces|``|metadata.namespace=|field label not supported: metadata.namespace",
      "events|``|message=whatever|field label not supported: message",
      "events|events.k8s.io|involvedObject.name=x|field label not supported: involvedObject.name",
      "secrets|``|data=x|field label not supported: data",
      "configmaps|``|data.a=b|\"data.a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
      "replicasets|apps|status.replicas=1|\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
  })
  void rejectsUnsupportedFieldsWithTheApiserversWording(String plural, String group, String selector,
      String message) {
    assertThatThrownBy(() -> FieldSets.validate(type(plural, group), FieldSelector.parse(selector)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.reason()).isEqualTo("BadRequest");
        })
        .hasMessage(message);
  }

  @Test
  void podFields() {
    var pod = Json.parseObject("""
        {"metadata": {"name": "web-1", "namespace": "shop"},
         "spec": {"nodeName": "node-a", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                  "serviceAccountName": "default", "hostNetwork": true},
         "status": {"phase": "Running", "podIP": "10.0.0.9", "podIPs": [{"ip": "10.0.0.9"}, {"ip": "fd00::9"}],
                    "nominatedNodeName": "node-b"}}
        """);
    assertThat(FieldSets.fieldsOf(ResourceTypes.PODS, pod)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "metadata.name", "web-1", "metadata.namespace", "shop", "spec.nodeName", "node-a",
        "spec.restartPolicy", "Always", "spec.schedulerName", "default-scheduler",
        "spec.serviceAccountName", "default", "spec.hostNetwork", "true", "status.phase", "Running",
        "status.podIP", "10.0.0.9", "status.nominatedNodeName", "node-b"));

    var pending = Json.parseObject("{\"metadata\":{\"name\":\"p\",\"namespace\":\"d\"},\"status\":{\"podIP\":\"1.1.1.1\"}}");
    Map<String, String> fields = FieldSets.fieldsOf(ResourceTypes.PODS, pending);
    assertThat(fields).containsEntry("spec.hostNetwork", "false").containsEntry("spec.nodeName", "")
        .containsEntry("status.podIP", "1.1.1.1");

    FieldSelector unscheduled = FieldSets.validate(ResourceTypes.PODS, FieldSelector.parse("spec.nodeName="));
    assertThat(FieldSets.matches(ResourceTypes.PODS, unscheduled, pending)).isTrue();
    assertThat(FieldSets.matches(ResourceTypes.PODS, unscheduled, pod)).isFalse();
    FieldSelector onNode = FieldSets.validate(ResourceTypes.PODS, FieldSelector.parse("spec.host=node-a"));
    assertThat(FieldSets.matches(ResourceTypes.PODS, onNode, pod)).isTrue();
    FieldSelector byIps = FieldSets.validate(ResourceTypes.PODS, FieldSelector.parse("status.podIPs=10.0.0.9"));
    assertThat(FieldSets.matches(ResourceTypes.PODS, byIps, pod)).isFalse(); // accepted, but never a field value
  }

  @Test
  void clusterScopedTypesHaveNoNamespaceField() {
    var node = Json.parseObject("{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"unschedulable\":true}}");
    assertThat(FieldSets.fieldsOf(ResourceTypes.NODES, node))
        .isEqualTo(Map.of("metadata.name", "n1", "spec.unschedulable", "true"));
    var namespace = Json.parseObject("{\"metadata\":{\"name\":\"ns\"},\"status\":{\"phase\":\"Terminating\"}}");
    assertThat(FieldSets.fieldsOf(ResourceTypes.NAMESPACES, namespace))
        .isEqualTo(Map.of("metadata.name", "ns", "status.phase", "Terminating"));
  }

  @Test
  void otherCoreFields() {
    assertThat(FieldSets.fieldsOf(ResourceTypes.SECRETS,
        Json.parseObject("{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"},\"type\":\"kubernetes.io/tls\"}")))
        .containsEntry("type", "kubernetes.io/tls");
    assertThat(FieldSets.fieldsOf(ResourceTypes.SERVICES, Json.parseObject(
        "{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"},\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.5\"}}")))
        .containsEntry("spec.type", "NodePort").containsEntry("spec.clusterIP", "10.96.0.5");
    assertThat(FieldSets.fieldsOf(ResourceTypes.REPLICATION_CONTROLLERS,
        Json.parseObject("{\"metadata\":{\"name\":\"r\",\"namespace\":\"d\"},\"status\":{\"replicas\":3}}")))
        .containsEntry("status.replicas", "3");
    assertThat(FieldSets.fieldsOf(ResourceTypes.REPLICATION_CONTROLLERS,
        Json.parseObject("{\"metadata\":{\"name\":\"r\",\"namespace\":\"d\"}}")))
        .containsEntry("status.replicas", "0");
    assertThat(FieldSets.fieldsOf(ResourceTypes.CONFIG_MAPS,
        Json.parseObject("{\"metadata\":{\"name\":\"c\",\"namespace\":\"d\"},\"data\":{\"a\":\"b\"}}")))
        .isEqualTo(Map.of("metadata.name", "c", "metadata.namespace", "d"));
  }

  @Test
  void coreAndEventsV1EventsShareFieldNames() {
    var core = Json.parseObject("""
        {"metadata": {"name": "e1", "namespace": "d"}, "reason": "Started", "type": "Normal",
         "involvedObject": {"kind": "Pod", "name": "web", "namespace": "d", "uid": "u1", "apiVersion": "v1",
                            "resourceVersion": "7", "fieldPath": "spec.containers{app}"},
         "source": {"component": "kubelet"}, "reportingComponent": "kubelet-r"}
        """);
    Map<String, String> coreFields = FieldSets.fieldsOf(ResourceTypes.EVENTS, core);
    assertThat(coreFields).containsEntry("involvedObject.kind", "Pod").containsEntry("involvedObject.name", "web")
        .containsEntry("involvedObject.uid", "u1").containsEntry("involvedObject.fieldPath", "spec.containers{app}")
        .containsEntry("involvedObject.resourceVersion", "7").containsEntry("source", "kubelet")
        .containsEntry("reportingComponent", "kubelet-r").containsEntry("reason", "Started")
        .containsEntry("type", "Normal");

    var v1 = Json.parseObject("""
        {"metadata": {"name": "e1", "namespace": "d"}, "reason": "Started", "type": "Normal",
         "regarding": {"kind": "Pod", "name": "web", "namespace": "d", "uid": "u1", "apiVersion": "v1",
                       "resourceVersion": "7", "fieldPath": "spec.containers{app}"},
         "deprecatedSource": {"component": "kubelet"}, "reportingController": "kubelet-r"}
        """);
    assertThat(FieldSets.fieldsOf(ResourceTypes.EVENTS_V1, v1)).isEqualTo(coreFields);
    FieldSelector selector = FieldSets.validate(ResourceTypes.EVENTS_V1,
        FieldSelector.parse("regarding.kind=Pod,regarding.name=web,type=Normal"));
    assertThat(FieldSets.matches(ResourceTypes.EVENTS_V1, selector, v1)).isTrue();
  }

  @Test
  void supportedFieldLists() {
    assertThat(FieldSets.supportedFields(ResourceTypes.CONFIG_MAPS))
        .containsExactlyInAnyOrder("metadata.name", "metadata.namespace");
    assertThat(FieldSets.supportedFields(ResourceTypes.PODS)).contains("spec.nodeName", "spec.host", "status.podIP");
    assertThat(FieldSets.supportedFields(ResourceTypes.NODES))
        .containsExactlyInAnyOrder("metadata.name", "spec.unschedulable");
  }
}
