package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.client.FakeClient;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentResolverTest {
  private final FakeClient client = new FakeClient();
  private final EnvironmentResolver resolver = new EnvironmentResolver(client,
      new EnvironmentResolver.NodeResources(4000, 8L << 30));

  private static Pod pod(String json) {
    return Pod.from(Json.parseObject(json));
  }

  private Map<String, String> resolve(Pod pod) throws ConfigException {
    return resolver.resolve(pod, pod.spec().containers().get(0));
  }

  @Test
  void envFromDefinesVariablesInKeyOrderThenEnvEntriesInTheirs() throws Exception {
    client.seed(ResourceTypes.CONFIG_MAPS, Json.parseObject("""
        {"metadata":{"name":"cfg","namespace":"ns"},"data":{"zeta":"z","alpha":"a","1bad":"x","mid":"m"}}"""));
    client.seed(ResourceTypes.SECRETS, Json.parseObject("""
        {"metadata":{"name":"sec","namespace":"ns"},"data":{"pw":"czNjcjN0","b":"Yg=="}}"""));
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"enableServiceLinks":false,"containers":[{"name":"app",
          "envFrom":[{"configMapRef":{"name":"cfg"}},{"prefix":"S_","secretRef":{"name":"sec"}},
            {"configMapRef":{"name":"absent","optional":true}}],
          "env":[{"name":"alpha","value":"again"},{"name":"X","value":"$(mid)-$(S_pw)-$(NONE)-$$(mid)"}]}]}}""");

    Map<String, String> env = resolve(pod);

    assertThat(List.copyOf(env.keySet())).containsExactly("mid", "zeta", "S_b", "S_pw", "alpha", "X");
    assertThat(env).containsEntry("alpha", "again").containsEntry("S_pw", "s3cr3t")
        .containsEntry("X", "m-s3cr3t-$(NONE)-$(mid)");
  }

  @Test
  void valueFromReadsThePodItsResourcesAndReferencedObjects() throws Exception {
    client.seed(ResourceTypes.CONFIG_MAPS, Json.parseObject("""
        {"metadata":{"name":"cfg","namespace":"ns"},"data":{"mode":"fast"},"binaryData":{"bin":"aGk="}}"""));
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns","uid":"u1","labels":{"b":"2","a":"1"}},
         "spec":{"enableServiceLinks":false,"nodeName":"node1","serviceAccountName":"robot","containers":[{"name":"app",
          "resources":{"limits":{"memory":"64Mi","cpu":"500m"}},
          "env":[{"name":"NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
            {"name":"LABELS","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels"}}},
            {"name":"LABEL","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['a']"}}},
            {"name":"IPS","valueFrom":{"fieldRef":{"fieldPath":"status.podIPs"}}},
            {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
            {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
            {"name":"CPU_REQ","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu","divisor":"1m"}}},
            {"name":"NODE_MEM","valueFrom":{"resourceFieldRef":{"containerName":"side",
              "resource":"limits.memory"}}},
            {"name":"MODE","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"mode"}}},
            {"name":"BIN","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"bin"}}},
            {"name":"OPT","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"absent","optional":true}}}]},
          {"name":"side"}]},
         "status":{"podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"},{"ip":"fd00::5"}]}}""");

    Map<String, String> env = resolve(pod);

    assertThat(env).containsEntry("NAME", "p").containsEntry("LABELS", "a=\"1\"\nb=\"2\"")
        .containsEntry("LABEL", "1").containsEntry("IPS", "10.0.0.5,fd00::5").containsEntry("SA", "robot")
        .containsEntry("MEM", "64").containsEntry("CPU_REQ", "500").containsEntry("NODE_MEM",
            Long.toString(8L << 30))
        .containsEntry("MODE", "fast").containsEntry("BIN", "hi").doesNotContainKey("OPT");
  }

  @Test
  void aMissingKeyOrObjectIsAConfigError() {
    client.seed(ResourceTypes.SECRETS, Json.parseObject("""
        {"metadata":{"name":"sec","namespace":"ns"},"data":{}}"""));
    Pod missingKey = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"app",
          "env":[{"name":"X","valueFrom":{"secretKeyRef":{"name":"sec","key":"k"}}}]}]}}""");
    Pod missingMap = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"app",
          "envFrom":[{"configMapRef":{"name":"cfg"}}]}]}}""");

    assertThatThrownBy(() -> resolve(missingKey)).isInstanceOf(ConfigException.class)
        .hasMessage("couldn't find key k in Secret ns/sec");
    assertThatThrownBy(() -> resolve(missingMap)).isInstanceOf(ConfigException.class)
        .hasMessage("configmap \"cfg\" not found");
  }

  @Test
  void serviceLinksDescribeTheNamespacesServicesAndTheKubernetesService() throws Exception {
    client.seed(ResourceTypes.SERVICES, Json.parseObject("""
        {"metadata":{"name":"my-web","namespace":"ns"},"spec":{"clusterIP":"10.96.0.20",
          "ports":[{"name":"http","port":80},{"name":"dns-udp","port":53,"protocol":"UDP"}]}}"""));
    client.seed(ResourceTypes.SERVICES, Json.parseObject("""
        {"metadata":{"name":"headless","namespace":"ns"},"spec":{"clusterIP":"None","ports":[{"port":1}]}}"""));
    client.seed(ResourceTypes.SERVICES, Json.parseObject("""
        {"metadata":{"name":"kubernetes","namespace":"default"},"spec":{"clusterIP":"10.96.0.1",
          "ports":[{"name":"https","port":443}]}}"""));
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"app"}]}}""");

    Map<String, String> env = resolve(pod);

    assertThat(env).containsEntry("MY_WEB_SERVICE_HOST", "10.96.0.20").containsEntry("MY_WEB_SERVICE_PORT", "80")
        .containsEntry("MY_WEB_SERVICE_PORT_HTTP", "80").containsEntry("MY_WEB_SERVICE_PORT_DNS_UDP", "53")
        .containsEntry("MY_WEB_PORT", "tcp://10.96.0.20:80")
        .containsEntry("MY_WEB_PORT_53_UDP", "udp://10.96.0.20:53").containsEntry("MY_WEB_PORT_53_UDP_PROTO", "udp")
        .containsEntry("MY_WEB_PORT_80_TCP_ADDR", "10.96.0.20").containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
        .containsEntry("KUBERNETES_PORT_443_TCP_PORT", "443");
    assertThat(env.keySet()).noneMatch(key -> key.startsWith("HEADLESS"));
  }

  @Test
  void withoutServiceLinksOnlyTheKubernetesServiceIsDescribed() throws Exception {
    client.seed(ResourceTypes.SERVICES, Json.parseObject("""
        {"metadata":{"name":"web","namespace":"ns"},"spec":{"clusterIP":"10.96.0.20","ports":[{"port":80}]}}"""));
    client.seed(ResourceTypes.SERVICES, Json.parseObject("""
        {"metadata":{"name":"kubernetes","namespace":"default"},"spec":{"clusterIP":"10.96.0.1",
          "ports":[{"name":"https","port":443}]}}"""));
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"enableServiceLinks":false,
          "containers":[{"name":"app"}]}}""");

    assertThat(resolve(pod)).containsKey("KUBERNETES_SERVICE_HOST").doesNotContainKey("WEB_SERVICE_HOST");
  }

  @Test
  void theContainerOfAResourceFieldRefMustExist() {
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"enableServiceLinks":false,"containers":[{"name":"app",
          "env":[{"name":"X","valueFrom":{"resourceFieldRef":{"containerName":"nope","resource":"limits.cpu"}}}]}]}}""");
    Container app = pod.spec().containers().get(0);

    assertThatThrownBy(() -> resolver.resolve(pod, app)).isInstanceOf(ConfigException.class)
        .hasMessage("container \"nope\" not found in pod");
  }
}
