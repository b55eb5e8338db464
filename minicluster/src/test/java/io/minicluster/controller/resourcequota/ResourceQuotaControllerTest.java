package io.minicluster.controller.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceQuotaControllerTest extends ClusterTest {
  private static final String NS = "team";

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    cluster.createNamespace("other");
    cluster.run("resourcequota", 1, queue -> new ResourceQuotaController(client, cluster.informers(), queue,
        Clock.systemUTC()));
  }

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private void quota(String name, String spec) {
    client.create(ResourceTypes.RESOURCE_QUOTAS, NS, json("{'metadata':{'name':'" + name + "'},'spec':" + spec + "}"));
  }

  private void pod(String namespace, String name, String resources, String phase) {
    ObjectNode pod = TestCluster.pod(name);
    ((ObjectNode) pod.at("/spec/containers/0")).set("resources", json(resources));
    client.create(ResourceTypes.PODS, namespace, pod);
    if (phase != null) {
      client.modifyStatus(ResourceTypes.PODS, namespace, name, p -> {
        p.with("status").put("phase", phase);
        return p;
      });
    }
  }

  private JsonNode status(String name) {
    return client.get(ResourceTypes.RESOURCE_QUOTAS, NS, name).path("status");
  }

  @Test
  void aNewQuotaGetsItsHardLimitsAndTheUsageOfTheLiveObjects() {
    pod(NS, "web", "{'requests':{'cpu':'100m','memory':'64Mi'},'limits':{'cpu':'200m'}}", "Running");
    pod(NS, "done", "{'requests':{'cpu':'1'}}", "Succeeded");
    pod("other", "elsewhere", "{'requests':{'cpu':'1'}}", null);
    client.create(ResourceTypes.CONFIG_MAPS, NS, json("{'metadata':{'name':'settings'}}"));

    quota("q", "{'hard':{'pods':'5','requests.cpu':'2','limits.cpu':'4','count/pods':'10','configmaps':'3',"
        + "'services':'2','count/deployments.apps':'1'}}");

    Eventually.assertThat(() -> assertThat(status("q")).isEqualTo(json("{'hard':{'configmaps':'3',"
        + "'count/deployments.apps':'1','count/pods':'10','limits.cpu':'4','pods':'5','requests.cpu':'2',"
        + "'services':'2'},'used':{'configmaps':'1','count/deployments.apps':'0','count/pods':'2',"
        + "'limits.cpu':'200m','pods':'1','requests.cpu':'100m','services':'0'}}")));
  }

  @Test
  void usageGoesDownWhenObjectsGoOrPodsEnd() {
    pod(NS, "a", "{}", "Running");
    pod(NS, "b", "{}", "Running");
    client.create(ResourceTypes.SECRETS, NS, json("{'metadata':{'name':'s'}}"));
    quota("q", "{'hard':{'pods':'5','secrets':'5'}}");
    Eventually.assertThat(() -> assertThat(status("q").path("used"))
        .isEqualTo(json("{'pods':'2','secrets':'1'}")));

    client.delete(ResourceTypes.PODS, NS, "a", DeleteOptions.immediate());
    client.delete(ResourceTypes.SECRETS, NS, "s", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> assertThat(status("q").path("used"))
        .isEqualTo(json("{'pods':'1','secrets':'0'}")));

    client.modifyStatus(ResourceTypes.PODS, NS, "b", p -> {
      p.with("status").put("phase", "Failed");
      return p;
    });
    Eventually.assertThat(() -> assertThat(status("q").path("used").path("pods").asText()).isEqualTo("0"));
  }

  @Test
  void aScopedQuotaCountsOnlyThePodsInItsScope() {
    pod(NS, "best-effort", "{}", "Running");
    pod(NS, "burstable", "{'requests':{'memory':'1Mi'}}", "Running");
    quota("best-effort", "{'hard':{'pods':'5'},'scopes':['BestEffort']}");
    quota("not-best-effort", "{'hard':{'pods':'5','requests.memory':'1Gi'},'scopes':['NotBestEffort']}");

    Eventually.assertThat(() -> {
      assertThat(status("best-effort").path("used")).isEqualTo(json("{'pods':'1'}"));
      assertThat(status("not-best-effort").path("used")).isEqualTo(json("{'pods':'1','requests.memory':'1Mi'}"));
    });
  }
}
