package io.minicluster.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.FakeClient;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The controller takes the pod templates from the informers' template views: a sync reads no object of the API. */
class DeploymentTemplatesTest {
  private final FakeClient client = new FakeClient();
  private final SharedInformers informers = new SharedInformers(client);
  private final EventRecorder events = new EventRecorder(client, "deployment-controller", null, Clock.systemUTC());
  private final DeploymentController controller = new DeploymentController(client.as("deployment-controller"),
      informers, new WorkQueue("deployment"), events, Clock.systemUTC());

  @AfterEach
  void tearDown() {
    events.close();
    informers.close();
  }

  private static final String TEMPLATE = """
      {"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}""";

  private void startInformers() throws InterruptedException {
    for (Informer<?> informer : controller.informers()) {
      informer.start();
      assertThat(informer.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aSyncReadsNoObjectAndHashesTheTemplateAsStored() throws Exception {
    client.create(ResourceTypes.DEPLOYMENTS, "default", Json.parseObject("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,
          "selector":{"matchLabels":{"app":"web"}},"template":""" + TEMPLATE + "}}"));
    startInformers();

    controller.reconcile("default/web");

    List<String> firstSync = List.copyOf(client.calls());
    String hash = PodTemplateHash.compute(Json.parseObject(TEMPLATE), null);
    assertThat(firstSync).contains("create replicasets default/web-" + hash).filteredOn(call -> !call.contains(" events "))
        .noneMatch(call -> call.startsWith("get "));
    ObjectNode replicaSet = client.get(ResourceTypes.REPLICA_SETS, "default", "web-" + hash);
    assertThat(replicaSet.at("/spec/template/metadata/labels/pod-template-hash").asText()).isEqualTo(hash);

    // once the informers show the ReplicaSet, the next sync finds it new by its template, again reading nothing
    Eventually.assertThat(() -> assertThat(informers.informer(Kinds.REPLICA_SETS).get("default", "web-" + hash))
        .isPresent());
    Eventually.assertThat(() -> assertThat(informers.informer(Templates.REPLICA_SETS).get("default", "web-" + hash))
        .isPresent());
    int before = client.calls().size();
    controller.reconcile("default/web");
    // (the event recorder writes the first sync's events on its own thread, at any time: they are not the sync's)
    assertThat(client.calls().subList(before, client.calls().size())).filteredOn(call -> !call.contains(" events "))
        .noneMatch(call -> call.startsWith("get ") || call.startsWith("create "));
  }
}
