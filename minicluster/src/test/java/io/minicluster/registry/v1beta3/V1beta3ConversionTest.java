package io.minicluster.registry.v1beta3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.StorageConversion;
import org.junit.jupiter.api.Test;

/**
 * core/v1beta3 pods, services and replication controllers to and from the stored v1 form, with the field names of
 * pkg/api/v1beta3 (Kubernetes 1.0): each kind round-trips both ways, and each renamed field lands where v1 has it.
 */
class V1beta3ConversionTest {
  /** A v1 pod as the registry stores it, with every field v1beta3 names differently. */
  private static final String STORED_POD = """
      {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"default","uid":"u1",
       "resourceVersion":"7","labels":{"app":"web"}},
       "spec":{"volumes":[{"name":"data","emptyDir":{}}],
        "initContainers":[{"name":"init","image":"busybox","securityContext":{"capabilities":{"drop":["ALL"]}}}],
        "containers":[{"name":"c","image":"busybox","env":[{"name":"NODE","valueFrom":{"fieldRef":
          {"apiVersion":"v1","fieldPath":"spec.nodeName"}}}],
         "securityContext":{"privileged":true,"capabilities":{"add":["NET_ADMIN"]},"runAsUser":1000}}],
        "restartPolicy":"Always","serviceAccountName":"robot","serviceAccount":"robot","nodeName":"n1",
        "tolerations":[{"key":"k","operator":"Exists"}]},
       "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"hostIP":"10.0.0.1",
        "podIP":"10.244.0.5","containerStatuses":[{"name":"c","ready":true,"restartCount":1,
         "state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}},
         "lastState":{"terminated":{"exitCode":1,"reason":"Error","containerID":"docker://abc"}}}],
        "initContainerStatuses":[{"name":"init","ready":false,"restartCount":0,
         "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""";

  /** The same pod as v1beta3 serves it. */
  private static final String SERVED_POD = """
      {"kind":"Pod","apiVersion":"v1beta3","metadata":{"name":"p","namespace":"default","uid":"u1",
       "resourceVersion":"7","labels":{"app":"web"}},
       "spec":{"volumes":[{"name":"data","emptyDir":{}}],
        "initContainers":[{"name":"init","image":"busybox","securityContext":{"capabilities":{"drop":["ALL"]}},
          "capabilities":{"drop":["ALL"]}}],
        "containers":[{"name":"c","image":"busybox","env":[{"name":"NODE","valueFrom":{"fieldRef":
          {"apiVersion":"v1","fieldPath":"spec.nodeName"}}}],
         "securityContext":{"privileged":true,"capabilities":{"add":["NET_ADMIN"]},"runAsUser":1000},
         "privileged":true,"capabilities":{"add":["NET_ADMIN"]}}],
        "restartPolicy":"Always","serviceAccount":"robot","host":"n1",
        "tolerations":[{"key":"k","operator":"Exists"}]},
       "status":{"phase":"Running","Condition":[{"type":"Ready","status":"True"}],"hostIP":"10.0.0.1",
        "podIP":"10.244.0.5","containerStatuses":[{"name":"c","ready":true,"restartCount":1,
         "state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}},
         "lastState":{"termination":{"exitCode":1,"reason":"Error","containerID":"docker://abc"}}}],
        "initContainerStatuses":[{"name":"init","ready":false,"restartCount":0,
         "state":{"termination":{"exitCode":0,"reason":"Completed"}}}]}}""";

  private final StorageConversion pods = new PodConversion();
  private final StorageConversion services = new ServiceConversion();
  private final StorageConversion controllers = new ReplicationControllerConversion();

  @Test
  void aStoredPodReadsWithV1beta3NamesAndConvertsBackUnchanged() {
    ObjectNode stored = Json.parseObject(STORED_POD);
    ObjectNode served = pods.fromStorage(stored);
    assertThat(served).isEqualTo(Json.parseObject(SERVED_POD));
    assertThat(pods.toStorage(served)).isEqualTo(stored);
    assertThat(stored).as("input untouched").isEqualTo(Json.parseObject(STORED_POD));
    assertThat(pods.storedAs(ResourceTypes.PODS_V1BETA3)).isEqualTo(ResourceTypes.PODS);
  }

  @Test
  void aV1beta3PodConvertsToV1AndBackUnchanged() {
    ObjectNode served = Json.parseObject(SERVED_POD);
    assertThat(pods.fromStorage(pods.toStorage(served))).isEqualTo(served);
    assertThat(served).as("input untouched").isEqualTo(Json.parseObject(SERVED_POD));
  }

  @Test
  void theTutorialsPodNeedsNoMoreThanItsApiVersionChanged() {
    ObjectNode served = Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"telescope-pod"},"spec":{"containers":[
          {"name":"mongo","image":"mongo","command":["mongod","--smallfiles","--nojournal"],
           "ports":[{"containerPort":27017}]}]}}""");
    ObjectNode stored = pods.toStorage(served);
    assertThat(stored).isEqualTo(Json.parseObject("""
        {"kind":"Pod","apiVersion":"v1","metadata":{"name":"telescope-pod"},"spec":{"containers":[
          {"name":"mongo","image":"mongo","command":["mongod","--smallfiles","--nojournal"],
           "ports":[{"containerPort":27017}]}]}}"""));
  }

  @Test
  void v1beta3DefaultsASourcelessVolumeToEmptyDirAndReadsFieldPathsOfItsOwnVersion() {
    ObjectNode stored = pods.toStorage(Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"p"},"spec":{"volumes":[{"name":"scratch"}],
         "containers":[{"name":"c","image":"busybox","env":[
           {"name":"HOST","valueFrom":{"fieldRef":{"fieldPath":"spec.host"}}},
           {"name":"SA","valueFrom":{"fieldRef":{"apiVersion":"v1beta3","fieldPath":"spec.serviceAccount"}}},
           {"name":"NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}]}}"""));
    assertThat(stored.at("/spec/volumes/0")).isEqualTo(Json.parseObject("{\"name\":\"scratch\",\"emptyDir\":{}}"));
    assertThat(stored.at("/spec/containers/0/env/0/valueFrom/fieldRef")).isEqualTo(
        Json.parseObject("{\"apiVersion\":\"v1\",\"fieldPath\":\"spec.nodeName\"}"));
    assertThat(stored.at("/spec/containers/0/env/1/valueFrom/fieldRef")).isEqualTo(
        Json.parseObject("{\"apiVersion\":\"v1\",\"fieldPath\":\"spec.serviceAccountName\"}"));
    assertThat(stored.at("/spec/containers/0/env/2/valueFrom/fieldRef")).isEqualTo(
        Json.parseObject("{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.name\"}"));
  }

  @Test
  void theDeprecatedContainerFieldsGoIntoTheSecurityContext() {
    ObjectNode stored = pods.toStorage(Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[
          {"name":"a","image":"busybox","privileged":true,"capabilities":{"add":["NET_ADMIN"],"drop":["MKNOD"]}},
          {"name":"b","image":"busybox","privileged":true,"securityContext":{"privileged":true,"runAsUser":5}},
          {"name":"c","image":"busybox","privileged":false,"capabilities":{}}]}}"""));
    assertThat(stored.at("/spec/containers/0")).isEqualTo(Json.parseObject("""
        {"name":"a","image":"busybox","securityContext":{"capabilities":{"add":["NET_ADMIN"],"drop":["MKNOD"]},
         "privileged":true}}"""));
    assertThat(stored.at("/spec/containers/1")).isEqualTo(Json.parseObject(
        "{\"name\":\"b\",\"image\":\"busybox\",\"securityContext\":{\"privileged\":true,\"runAsUser\":5}}"));
    assertThat(stored.at("/spec/containers/2")).isEqualTo(Json.parseObject("{\"name\":\"c\",\"image\":\"busybox\"}"));
  }

  @Test
  void deprecatedContainerFieldsThatContradictTheSecurityContextCannotBeConverted() {
    assertThatThrownBy(() -> pods.toStorage(Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[
          {"name":"a","image":"busybox","capabilities":{"add":["NET_ADMIN"]},
           "securityContext":{"capabilities":{"add":["SYS_TIME"]}}}]}}""")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("Pod in version \"v1beta3\" cannot be handled as a Pod: container capability settings do not "
            + "match security context settings, cannot convert");
    assertThatThrownBy(() -> pods.toStorage(Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[
          {"name":"a","image":"busybox","privileged":true,"securityContext":{"privileged":false}}]}}""")))
        .hasMessage("Pod in version \"v1beta3\" cannot be handled as a Pod: container privileged settings do not "
            + "match security context settings, cannot convert");
  }

  @Test
  void aServiceReadsWithV1beta3NamesAndRoundTrips() {
    ObjectNode stored = Json.parseObject("""
        {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},
         "spec":{"ports":[{"port":80,"targetPort":8080,"protocol":"TCP","nodePort":30080}],"selector":{"app":"web"},
          "clusterIP":"10.96.7.7","clusterIPs":["10.96.7.7"],"type":"LoadBalancer","externalIPs":["192.0.2.9"],
          "sessionAffinity":"None"},
         "status":{"loadBalancer":{}}}""");
    ObjectNode served = services.fromStorage(stored);
    assertThat(served).isEqualTo(Json.parseObject("""
        {"kind":"Service","apiVersion":"v1beta3","metadata":{"name":"web","namespace":"default"},
         "spec":{"ports":[{"port":80,"targetPort":8080,"protocol":"TCP","nodePort":30080}],"selector":{"app":"web"},
          "portalIP":"10.96.7.7","clusterIPs":["10.96.7.7"],"type":"LoadBalancer","publicIPs":["192.0.2.9"],
          "sessionAffinity":"None","createExternalLoadBalancer":true},
         "status":{"loadBalancer":{}}}"""));
    assertThat(services.toStorage(served)).isEqualTo(stored);
    assertThat(services.storedAs(ResourceTypes.SERVICES_V1BETA3)).isEqualTo(ResourceTypes.SERVICES);
  }

  @Test
  void createExternalLoadBalancerStandsForTypeLoadBalancerWhenNoTypeIsGiven() {
    ObjectNode asked = services.toStorage(Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Service","metadata":{"name":"lb"},
         "spec":{"portalIP":"10.96.0.9","createExternalLoadBalancer":true,"ports":[{"port":80}]}}"""));
    assertThat(asked.path("spec")).isEqualTo(Json.parseObject(
        "{\"clusterIP\":\"10.96.0.9\",\"ports\":[{\"port\":80}],\"type\":\"LoadBalancer\"}"));
    ObjectNode typed = services.toStorage(Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Service","metadata":{"name":"np"},
         "spec":{"type":"NodePort","createExternalLoadBalancer":true,"ports":[{"port":80}]}}"""));
    assertThat(typed.path("spec").path("type").asText()).isEqualTo("NodePort");
    ObjectNode plain = services.toStorage(Json.parseObject("""
        {"apiVersion":"v1beta3","kind":"Service","metadata":{"name":"c"},"spec":{"ports":[{"port":80}]}}"""));
    assertThat(plain.path("spec").has("type")).isFalse();
    assertThat(services.fromStorage(plain).path("spec").has("createExternalLoadBalancer")).isFalse();
  }

  @Test
  void aReplicationControllersPodTemplateConvertsAsAPodSpec() {
    ObjectNode stored = Json.parseObject("""
        {"kind":"ReplicationController","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},
         "spec":{"replicas":2,"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"web","image":"busybox","securityContext":{"privileged":true}}],
           "serviceAccountName":"robot","serviceAccount":"robot","nodeName":"n1"}}},
         "status":{"replicas":2,"readyReplicas":1,"observedGeneration":3}}""");
    ObjectNode served = controllers.fromStorage(stored);
    assertThat(served).isEqualTo(Json.parseObject("""
        {"kind":"ReplicationController","apiVersion":"v1beta3","metadata":{"name":"web","namespace":"default"},
         "spec":{"replicas":2,"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"web","image":"busybox","securityContext":{"privileged":true},
           "privileged":true}],"serviceAccount":"robot","host":"n1"}}},
         "status":{"replicas":2,"readyReplicas":1,"observedGeneration":3}}"""));
    assertThat(controllers.toStorage(served)).isEqualTo(stored);
    assertThat(controllers.fromStorage(controllers.toStorage(served))).isEqualTo(served);
    assertThat(controllers.storedAs(ResourceTypes.REPLICATION_CONTROLLERS_V1BETA3))
        .isEqualTo(ResourceTypes.REPLICATION_CONTROLLERS);
  }
}
