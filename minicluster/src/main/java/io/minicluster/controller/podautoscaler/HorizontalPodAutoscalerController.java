package io.minicluster.controller.podautoscaler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.autoscaling.HorizontalPodAutoscaler;
import io.minicluster.api.autoscaling.HorizontalPodAutoscalerSpec;
import io.minicluster.api.autoscaling.MetricSpec;
import io.minicluster.api.autoscaling.MetricSpec.MetricTarget;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.resource.Quantity;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.podautoscaler.Normalizer.Reason;
import io.minicluster.json.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The horizontal pod autoscaler (pkg/controller/podautoscaler, horizontal.go): every sync period each
 * HorizontalPodAutoscaler reads its target's scale subresource (deployments, replica sets, replication controllers,
 * stateful sets), computes a replica count for each resource metric from the pods' metrics.k8s.io usage
 * ({@link ReplicaCalculator}), takes the largest, keeps it within minReplicas/maxReplicas and the behavior
 * ({@link Normalizer}), writes it through the scale subresource with a SuccessfulRescale event, and records status
 * (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime, the AbleToScale / ScalingActive / ScalingLimited
 * conditions) with upstream's reasons and messages. Only Resource metrics are read: the other metric types report
 * that no metrics API serves them, as a cluster without a custom or external metrics adapter does.
 */
public final class HorizontalPodAutoscalerController implements ControllerLoop {
  /** The default --horizontal-pod-autoscaler-sync-period. */
  public static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(15);
  private static final List<ResourceType> SCALABLE = List.of(ResourceTypes.DEPLOYMENTS, ResourceTypes.REPLICA_SETS,
      ResourceTypes.STATEFUL_SETS, ResourceTypes.REPLICATION_CONTROLLERS);

  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final PodMetricsSource metrics;
  private final Duration syncPeriod;
  private final ReplicaCalculator calculator;
  private final Normalizer normalizer;
  private final Informer<HorizontalPodAutoscaler> autoscalers;
  private final Informer<Pod> pods;

  /** With upstream's defaults: a 15 s sync, tolerance 0.1, 5 min CPU initialization and downscale stabilization. */
  public HorizontalPodAutoscalerController(Client client, SharedInformers informers, WorkQueue queue,
      EventRecorder events, Clock clock, PodMetricsSource metrics) {
    this(client, informers, queue, events, clock, metrics, DEFAULT_SYNC_PERIOD, ReplicaCalculator.defaults());
  }

  HorizontalPodAutoscalerController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock, PodMetricsSource metrics, Duration syncPeriod, ReplicaCalculator calculator) {
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.syncPeriod = requireNonNull(syncPeriod, "syncPeriod is null");
    this.calculator = requireNonNull(calculator, "calculator is null");
    this.normalizer = new Normalizer(clock, Normalizer.DEFAULT_DOWNSCALE_STABILIZATION);
    requireNonNull(queue, "queue is null");
    this.autoscalers = informers.informer(Kinds.HORIZONTAL_POD_AUTOSCALERS);
    this.pods = informers.informer(Kinds.PODS);
    // a new, changed (spec) or deleted autoscaler is synced now; between changes every sync period. Its own status
    // writes are no reason to sync again: upstream rate-limits every add to the sync period
    autoscalers.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(HorizontalPodAutoscaler autoscaler) {
        queue.add(Keys.of(autoscaler.metadata()));
      }

      @Override
      public void onUpdate(HorizontalPodAutoscaler old, HorizontalPodAutoscaler autoscaler) {
        if (old.metadata().generation() != autoscaler.metadata().generation()) {
          queue.add(Keys.of(autoscaler.metadata()));
        }
      }

      @Override
      public void onDelete(HorizontalPodAutoscaler autoscaler) {
        queue.add(Keys.of(autoscaler.metadata()));
      }
    });
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(autoscalers, pods);
  }

  /** Reconciles one autoscaler and asks to be called again after the sync period while it exists. */
  @Override
  public long reconcile(String key) {
    HorizontalPodAutoscaler autoscaler = autoscalers.get(Keys.namespace(key), Keys.name(key)).orElse(null);
    if (autoscaler == null) {
      normalizer.forget(key);
      return 0;
    }
    if (autoscaler.metadata().isDeleting()) {
      return 0;
    }
    Sync sync = new Sync(key, autoscaler);
    try {
      sync.run();
    } finally {
      sync.writeStatus();
    }
    return syncPeriod.toMillis();
  }

  /** One reconcileAutoscaler, building the new status as it goes. */
  private final class Sync {
    private final String key;
    private final HorizontalPodAutoscaler autoscaler;
    private final HorizontalPodAutoscalerSpec spec;
    private final Instant now = clock.instant();
    private final List<ObjectNode> conditions = new ArrayList<>();
    private int currentReplicas;
    private int desiredReplicas;
    private List<ObjectNode> metricStatuses = List.of();
    private Instant lastScaleTime;

    Sync(String key, HorizontalPodAutoscaler autoscaler) {
      this.key = key;
      this.autoscaler = autoscaler;
      this.spec = autoscaler.spec();
      this.currentReplicas = autoscaler.status().currentReplicas();
      this.desiredReplicas = autoscaler.status().desiredReplicas();
      this.lastScaleTime = autoscaler.status().lastScaleTime();
      for (Condition condition : autoscaler.status().conditions()) {
        ObjectNode node = Json.object();
        node.put("type", condition.type()).put("status", condition.status());
        if (condition.lastTransitionTime() != null) {
          node.put("lastTransitionTime", Meta.timestamp(condition.lastTransitionTime()));
        }
        node.put("reason", condition.reason()).put("message", condition.message());
        conditions.add(node);
      }
    }

    private ObjectReference reference() {
      return ObjectReference.to(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS.apiVersion(),
          ResourceTypes.HORIZONTAL_POD_AUTOSCALERS.kind(), autoscaler.metadata());
    }

    void run() {
      HorizontalPodAutoscalerSpec.CrossVersionObjectReference target = spec.scaleTargetRef();
      String targetReference = target.kind() + "/" + target.name();
      ResourceType type;
      ObjectNode scale;
      try {
        type = scalable(target);
        scale = client.getScale(type, autoscaler.metadata().namespace(), target.name());
      } catch (ApiException | IllegalArgumentException e) {
        events.warning(reference(), "FailedGetScale", e.getMessage());
        setCondition("AbleToScale", false, "FailedGetScale",
            "the HPA controller was unable to get the target's current scale: " + e.getMessage());
        return;
      }
      setCondition("AbleToScale", true, "SucceededGetScale",
          "the HPA controller was able to get the target's current scale");
      currentReplicas = (int) Json.number(Json.get(scale, "spec"), "replicas", 0);
      int minReplicas = spec.minReplicas() == null ? 1 : spec.minReplicas();
      int desired;
      String rescaleReason = "";
      if (currentReplicas == 0 && minReplicas != 0) {
        // autoscaling is disabled for this resource
        desired = 0;
        setCondition("ScalingActive", false, "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero");
      } else if (currentReplicas > spec.maxReplicas()) {
        rescaleReason = "Current number of replicas above Spec.MaxReplicas";
        desired = spec.maxReplicas();
      } else if (currentReplicas < minReplicas) {
        rescaleReason = "Current number of replicas below Spec.MinReplicas";
        desired = minReplicas;
      } else {
        Recommendation recommendation;
        try {
          recommendation = replicasForMetrics(scale);
        } catch (MetricsException e) {
          desiredReplicas = autoscaler.status().desiredReplicas();
          events.warning(reference(), "FailedComputeMetricsReplicas", e.getMessage());
          return;
        }
        desired = recommendation.replicas;
        if (desired > currentReplicas) {
          rescaleReason = recommendation.metric + " above target";
        } else if (desired < currentReplicas) {
          rescaleReason = "All metrics below target";
        }
        Normalizer.Result result = normalizer.normalize(key, spec.behavior(), currentReplicas, desired, minReplicas,
            spec.maxReplicas());
        setCondition("AbleToScale", result.ableToScale());
        setCondition("ScalingLimited", result.scalingLimited());
        desired = result.replicas();
      }
      if (desired != currentReplicas) {
        try {
          client.updateScale(type, autoscaler.metadata().namespace(), target.name(), desired);
        } catch (ApiException e) {
          events.warning(reference(), "FailedRescale", "New size: " + desired + "; reason: " + rescaleReason
              + "; error: " + e.getMessage());
          setCondition("AbleToScale", false, "FailedUpdateScale",
              "the HPA controller was unable to update the target scale: " + e.getMessage());
          throw new IllegalStateException("failed to rescale " + targetReference + ": " + e.getMessage(), e);
        }
        setCondition("AbleToScale", true, "SucceededRescale",
            "the HPA controller was able to update the target scale to " + desired);
        events.normal(reference(), "SuccessfulRescale", "New size: " + desired + "; reason: " + rescaleReason);
        normalizer.recordScale(key, spec.behavior(), currentReplicas, desired);
        lastScaleTime = now;
        desiredReplicas = desired;
      } else {
        desiredReplicas = currentReplicas;
      }
    }

    private ResourceType scalable(HorizontalPodAutoscalerSpec.CrossVersionObjectReference target) {
      String apiVersion = target.apiVersion();
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      for (ResourceType type : SCALABLE) {
        if (type.group().equals(group) && type.kind().equals(target.kind())) {
          return type;
        }
      }
      throw new IllegalArgumentException("no matches for kind \"" + target.kind() + "\" in group \"" + group + "\"");
    }

    /** computeReplicasForMetrics: the largest proposal of the valid metrics. */
    private Recommendation replicasForMetrics(ObjectNode scale) throws MetricsException {
      String selectorText = Json.text(Json.get(scale, "status"), "selector");
      if (selectorText.isEmpty()) {
        events.warning(reference(), "SelectorRequired", "selector is required");
        setCondition("ScalingActive", false, "InvalidSelector", "the HPA target's scale is missing a selector");
        throw new MetricsException("selector is required");
      }
      Selector selector;
      try {
        selector = Selector.parse(selectorText);
      } catch (ApiException e) {
        events.warning(reference(), "InvalidSelector", "couldn't convert selector into a corresponding internal "
            + "selector object: " + e.getMessage());
        setCondition("ScalingActive", false, "InvalidSelector", "the HPA target's scale has an invalid selector: "
            + e.getMessage());
        throw new MetricsException(e.getMessage());
      }
      String namespace = autoscaler.metadata().namespace();
      List<Pod> targets = pods.list(namespace).stream()
          .filter(pod -> selector.matches(pod.metadata().labels())).toList();
      List<ObjectNode> statuses = new ArrayList<>();
      int replicas = 0;
      String metric = "";
      int invalid = 0;
      Reason firstInvalid = null;
      String firstError = null;
      for (MetricSpec metricSpec : spec.metrics()) {
        ObjectNode status = Json.object();
        status.put("type", "");
        statuses.add(status);
        try {
          Proposal proposal = replicasForMetric(metricSpec, namespace, selector, targets, status);
          if (replicas == 0 || proposal.replicas > replicas) {
            replicas = proposal.replicas;
            metric = proposal.metric;
          }
        } catch (MetricsException e) {
          if (invalid == 0) {
            firstInvalid = new Reason(false, e.reason(), "the HPA was unable to compute the replica count: "
                + e.getMessage());
            firstError = e.getMessage();
          }
          invalid++;
          events.warning(reference(), e.reason(), e.getMessage());
        }
      }
      metricStatuses = statuses;
      if (invalid >= spec.metrics().size() || (invalid > 0 && replicas < currentReplicas)) {
        setCondition("ScalingActive", firstInvalid);
        throw new MetricsException("invalid metrics (" + invalid + " invalid out of " + spec.metrics().size()
            + "), first error is: " + firstError);
      }
      setCondition("ScalingActive", true, "ValidMetricFound",
          "the HPA was able to successfully calculate a replica count from " + metric);
      return new Recommendation(replicas, metric);
    }

    private Proposal replicasForMetric(MetricSpec metricSpec, String namespace, Selector selector, List<Pod> targets,
        ObjectNode status) throws MetricsException {
      MetricSpec.ResourceMetricSource source = metricSpec.resource();
      if (!metricSpec.type().equals(MetricSpec.RESOURCE) || source == null) {
        String type = metricSpec.type();
        throw new MetricsException("unable to get metric: no " + type.toLowerCase(Locale.ROOT)
            + " metrics API is available", "FailedGet" + type + "Metric");
      }
      String resource = source.name();
      MetricTarget target = source.target();
      Map<String, PodMetricsSource.PodMetric> usage = metrics.podMetrics(namespace, selector, resource);
      ObjectNode current = Json.object();
      if (target.averageValue() != null) {
        ReplicaCalculator.Proposal proposal;
        try {
          requireMetrics(usage, resource);
          proposal = calculator.rawResourceReplicas(currentReplicas, target.averageValue().milliValue(), resource,
              targets, usage, now);
        } catch (MetricsException e) {
          throw new MetricsException("failed to get " + resource + " usage: " + e.getMessage(),
              "FailedGetResourceMetric");
        }
        current.put("averageValue", quantity(proposal.rawAverage()));
        resourceStatus(status, resource, current);
        return new Proposal(proposal.replicas(), resource + " resource");
      }
      if (target.averageUtilization() == null) {
        throw new MetricsException("invalid resource metric source: neither an average utilization target nor an "
            + "average value (usage) target was set", "FailedGetResourceMetric");
      }
      ReplicaCalculator.Proposal proposal;
      try {
        requireMetrics(usage, resource);
        proposal = calculator.resourceReplicas(currentReplicas, target.averageUtilization(), resource, targets, usage,
            now);
      } catch (MetricsException e) {
        throw new MetricsException("failed to get " + resource + " utilization: " + e.getMessage(),
            "FailedGetResourceMetric");
      }
      current.put("averageUtilization", proposal.utilization());
      current.put("averageValue", quantity(proposal.rawAverage()));
      resourceStatus(status, resource, current);
      return new Proposal(proposal.replicas(), resource + " resource utilization (percentage of request)");
    }

    private static void requireMetrics(Map<String, PodMetricsSource.PodMetric> usage, String resource)
        throws MetricsException {
      if (usage.isEmpty()) {
        throw new MetricsException("unable to get metrics for resource " + resource
            + ": no metrics returned from resource metrics API");
      }
    }

    private static void resourceStatus(ObjectNode status, String resource, ObjectNode current) {
      status.put("type", MetricSpec.RESOURCE);
      ObjectNode node = status.putObject("resource");
      node.put("name", resource);
      node.set("current", current);
    }

    /** A milli-unit amount as the Quantity upstream writes (resource.NewMilliQuantity, DecimalSI). */
    private static String quantity(long milli) {
      return Quantity.of(BigDecimal.valueOf(milli, 3), Quantity.Format.DECIMAL_SI).toString();
    }

    private void setCondition(String type, Reason reason) {
      setCondition(type, reason.status(), reason.reason(), reason.message());
    }

    /** setCondition: the transition time changes only with the status. */
    private void setCondition(String type, boolean status, String reason, String message) {
      String value = status ? Condition.TRUE : Condition.FALSE;
      ObjectNode existing = conditions.stream().filter(c -> type.equals(Json.text(c, "type"))).findFirst()
          .orElse(null);
      if (existing == null) {
        existing = Json.object();
        existing.put("type", type);
        conditions.add(existing);
      }
      if (!value.equals(Json.text(existing, "status")) || !existing.has("lastTransitionTime")) {
        existing.put("lastTransitionTime", Meta.timestamp(now));
      }
      existing.put("status", value);
      existing.put("reason", reason);
      existing.put("message", message);
      // the JSON field order of HorizontalPodAutoscalerCondition
      ObjectNode ordered = Json.object();
      for (String field : List.of("type", "status", "lastTransitionTime", "reason", "message")) {
        ordered.set(field, existing.get(field));
      }
      existing.removeAll();
      existing.setAll(ordered);
    }

    /** setStatus and updateStatusIfNeeded. */
    void writeStatus() {
      ObjectNode status = Json.object();
      if (currentReplicas != 0) {
        status.put("currentReplicas", currentReplicas);
      }
      status.put("desiredReplicas", desiredReplicas);
      if (!metricStatuses.isEmpty()) {
        ArrayNode list = status.putArray("currentMetrics");
        metricStatuses.forEach(list::add);
      }
      if (lastScaleTime != null) {
        status.put("lastScaleTime", Meta.timestamp(lastScaleTime));
      }
      if (!conditions.isEmpty()) {
        ArrayNode list = status.putArray("conditions");
        conditions.forEach(list::add);
      }
      status.put("observedGeneration", autoscaler.metadata().generation());
      String namespace = autoscaler.metadata().namespace();
      String name = autoscaler.metadata().name();
      try {
        client.modifyStatus(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, namespace, name, current -> {
          JsonNode old = current.get("status");
          if (status.equals(old) || !autoscaler.metadata().uid().equals(Meta.uid(current))) {
            return null;
          }
          current.set("status", status);
          return current;
        });
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
  }

  private record Recommendation(int replicas, String metric) {}

  private record Proposal(int replicas, String metric) {}
}
