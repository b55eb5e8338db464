package io.minicluster.controller.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.podautoscaler.PodMetricsSource.PodMetric;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler on an in-process API (real registries, so the scale subresource and the status strategy apply), with
 * metrics and a clock the test sets; each sync is called by the test.
 */
class HorizontalPodAutoscalerControllerTest extends ClusterTest {
  private static final String NS = "default";
  private static final String KEY = NS + "/web";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
  /** Each pod's CPU usage in millicores, as the metrics API would report it. */
  private final Map<String, Long> cpu = new ConcurrentHashMap<>();
  private final WorkQueue queue = new WorkQueue("hpa");
  private HorizontalPodAutoscalerController controller;

  @BeforeEach
  void start() throws Exception {
    cluster.createNamespace(NS);
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "horizontal-pod-autoscaler", null,
        Clock.systemUTC()));
    PodMetricsSource metrics = (namespace, selector, resource) -> {
      Map<String, PodMetric> result = new ConcurrentHashMap<>();
      cpu.forEach((pod, milli) -> result.put(pod, new PodMetric(milli, clock.instant(), Duration.ofSeconds(10))));
      return resource.equals("cpu") ? result : Map.of();
    };
    controller = new HorizontalPodAutoscalerController(client, cluster.informers(), queue, events, clock, metrics);
    for (Informer<?> informer : controller.informers()) {
      informer.start();
      assertThat(informer.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    }
    client.create(ResourceTypes.DEPLOYMENTS, NS, Json.parseObject(("{'metadata':{'name':'web'},'spec':{'replicas':1,"
        + "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':"
        + "{'containers':[{'name':'c','image':'busybox','resources':{'requests':{'cpu':'100m'}}}]}}}}")
        .replace('\'', '"')));
  }

  /** A running pod of the deployment, ready for ten minutes. */
  private void runningPod(String name) {
    client.create(ResourceTypes.PODS, NS, Json.parseObject(("{'metadata':{'name':'" + name + "','labels':"
        + "{'app':'web'}},'spec':{'containers':[{'name':'c','image':'busybox','resources':{'requests':"
        + "{'cpu':'100m'}}}]}}").replace('\'', '"')));
    String since = Meta.timestamp(clock.instant().minusSeconds(600));
    client.modifyStatus(ResourceTypes.PODS, NS, name, pod -> {
      pod.set("status", Json.parseObject(("{'phase':'Running','startTime':'" + since + "','conditions':[{'type':"
          + "'Ready','status':'True','lastTransitionTime':'" + since + "'}]}").replace('\'', '"')));
      return pod;
    });
  }

  private void createAutoscaler(String behavior) {
    client.create(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, NS, Json.parseObject(("{'metadata':{'name':'web'},"
        + "'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':1,"
        + "'maxReplicas':5,'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization',"
        + "'averageUtilization':50}}}]" + behavior + "}}").replace('\'', '"')));
  }

  /** Waits until the informers have caught up with the API. */
  private void caughtUp() {
    Eventually.assertThat(() -> {
      String stored = Meta.resourceVersion(client.get(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, NS, "web"));
      assertThat(cluster.informers().informer(Kinds.HORIZONTAL_POD_AUTOSCALERS).get(NS, "web")
          .map(hpa -> hpa.metadata().resourceVersion())).contains(stored);
      assertThat(cluster.informers().informer(Kinds.PODS).list(NS))
          .hasSize(client.list(ResourceTypes.PODS, NS, ListOptions.ALL).items().size());
    });
  }

  /** One sync (as the runner calls it, for a queued key or after the sync period), once the informers caught up. */
  private void sync() throws Exception {
    caughtUp();
    while (queue.length() > 0) {
      queue.done(queue.take());
    }
    assertThat(controller.reconcile(KEY)).isEqualTo(HorizontalPodAutoscalerController.DEFAULT_SYNC_PERIOD.toMillis());
  }

  private JsonNode status() {
    return client.get(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, NS, "web").get("status");
  }

  private long replicas() {
    return client.get(ResourceTypes.DEPLOYMENTS, NS, "web").at("/spec/replicas").asLong();
  }

  private static String condition(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return condition.path("status").asText() + " " + condition.path("reason").asText() + ": "
            + condition.path("message").asText();
      }
    }
    return null;
  }

  private List<String> events() {
    return client.list(ResourceTypes.EVENTS, NS, ListOptions.ALL).items().stream()
        .map(event -> Json.text(event, "reason") + ": " + Json.text(event, "message")).toList();
  }

  @Test
  void withoutMetricsScalingIsInactive() throws Exception {
    runningPod("web-a");
    createAutoscaler("");

    sync();

    JsonNode status = status();
    assertThat(replicas()).isEqualTo(1);
    assertThat(condition(status, "AbleToScale")).isEqualTo(
        "True SucceededGetScale: the HPA controller was able to get the target's current scale");
    assertThat(condition(status, "ScalingActive")).isEqualTo("False FailedGetResourceMetric: the HPA was unable to "
        + "compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no "
        + "metrics returned from resource metrics API");
    assertThat(status.path("currentReplicas").asInt()).isEqualTo(1);
    Eventually.assertThat(() -> assertThat(events()).contains("FailedComputeMetricsReplicas: invalid metrics (1 "
        + "invalid out of 1), first error is: failed to get cpu utilization: unable to get metrics for resource cpu: "
        + "no metrics returned from resource metrics API"));
  }

  @Test
  void scalesUpUnderLoadAndDownAfterTheStabilizationWindow() throws Exception {
    runningPod("web-a");
    createAutoscaler(",'behavior':{'scaleDown':{'stabilizationWindowSeconds':15,'policies':[{'type':'Percent',"
        + "'value':100,'periodSeconds':15}]},'scaleUp':{'policies':[{'type':'Pods','value':4,'periodSeconds':15}]}}");
    cpu.put("web-a", 200L);

    sync();

    assertThat(replicas()).isEqualTo(4);
    JsonNode status = status();
    assertThat(status.path("currentReplicas").asInt()).isEqualTo(1);
    assertThat(status.path("desiredReplicas").asInt()).isEqualTo(4);
    assertThat(status.path("lastScaleTime").asText()).isEqualTo(Meta.timestamp(clock.instant()));
    assertThat(status.at("/currentMetrics/0")).isEqualTo(Json.parseObject(("{'type':'Resource','resource':{'name':"
        + "'cpu','current':{'averageUtilization':200,'averageValue':'200m'}}}").replace('\'', '"')));
    assertThat(condition(status, "AbleToScale")).isEqualTo(
        "True SucceededRescale: the HPA controller was able to update the target scale to 4");
    assertThat(condition(status, "ScalingActive")).isEqualTo("True ValidMetricFound: the HPA was able to "
        + "successfully calculate a replica count from cpu resource utilization (percentage of request)");
    assertThat(condition(status, "ScalingLimited")).isEqualTo(
        "False DesiredWithinRange: the desired count is within the acceptable range");
    Eventually.assertThat(() -> assertThat(events()).contains(
        "SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target"));

    // the load stops on the four pods: the scale-down waits out the 15 s window
    for (String pod : List.of("web-b", "web-c", "web-d")) {
      runningPod(pod);
    }
    List.of("web-a", "web-b", "web-c", "web-d").forEach(pod -> cpu.put(pod, 1L));
    clock.advance(Duration.ofSeconds(10));
    sync();
    assertThat(replicas()).isEqualTo(4);
    assertThat(condition(status(), "AbleToScale")).isEqualTo("True ScaleDownStabilized: recent recommendations were "
        + "higher than current one, applying the highest recent recommendation");
    clock.advance(Duration.ofSeconds(16));
    sync();
    assertThat(replicas()).isEqualTo(1);
    assertThat(condition(status(), "ScalingLimited")).isEqualTo(
        "False DesiredWithinRange: the desired count is within the acceptable range");
    Eventually.assertThat(() -> assertThat(events()).contains(
        "SuccessfulRescale: New size: 1; reason: All metrics below target"));
  }

  @Test
  void aMissingTargetCannotBeScaled() throws Exception {
    client.create(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, NS, Json.parseObject(("{'metadata':{'name':'web'},"
        + "'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'gone'},'maxReplicas':5}}")
        .replace('\'', '"')));

    sync();

    assertThat(condition(status(), "AbleToScale")).isEqualTo("False FailedGetScale: the HPA controller was unable "
        + "to get the target's current scale: deployments.apps \"gone\" not found");
  }

  @Test
  void aNewOrChangedAutoscalerIsQueuedButNotItsOwnStatusWrites() throws Exception {
    runningPod("web-a");
    createAutoscaler("");
    Eventually.assertThat(() -> assertThat(queue.length()).isOne());
    sync();
    String written = Meta.resourceVersion(client.get(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, NS, "web"));
    assertThat(status().path("conditions")).isNotEmpty();

    caughtUp();
    assertThat(cluster.informers().informer(Kinds.HORIZONTAL_POD_AUTOSCALERS).get(NS, "web").orElseThrow()
        .metadata().resourceVersion()).isEqualTo(written);
    assertThat(queue.length()).isZero();

    cluster.modify(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, NS, "web", hpa -> {
      Json.with(hpa, "spec").put("maxReplicas", 7);
      return hpa;
    });
    Eventually.assertThat(() -> assertThat(queue.length()).isOne());
  }
}
