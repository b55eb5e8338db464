package io.minicluster.controller.resourcequota;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.quota.QuotaEvaluator;
import io.minicluster.api.quota.ResourceList;
import io.minicluster.api.quota.ResourceQuota;
import io.minicluster.api.quota.ScopeSelector;
import io.minicluster.api.resource.Quantity;
import io.minicluster.client.Client;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resource quota controller (pkg/controller/resourcequota): keeps each ResourceQuota's status — {@code hard}
 * as its spec says, {@code used} counted from the live objects of its namespace that it counts (scopes included) —
 * when the quota is created or its hard limits change, when objects it counts go away (pods also when they end),
 * and every {@link #RESYNC} (which catches what no event tells, such as a pod's deletion grace period running out).
 * Admission adds to {@code used} between two counts; the status is written with the quota's resourceVersion, so a
 * count that raced with admission is made again.
 */
public final class ResourceQuotaController implements ControllerLoop {
  /** How often every quota is counted again (resource-quota-sync-period, shorter than upstream's 5 minutes). */
  static final Duration RESYNC = Duration.ofSeconds(60);
  /** The kinds whose deletion gives usage back at once (replenishment), beside pods. */
  static final List<ResourceType> REPLENISHED = List.of(ResourceTypes.SERVICES,
      ResourceTypes.PERSISTENT_VOLUME_CLAIMS, ResourceTypes.CONFIG_MAPS, ResourceTypes.SECRETS,
      ResourceTypes.REPLICATION_CONTROLLERS, ResourceTypes.RESOURCE_QUOTAS);

  private final Client client;
  private final Clock clock;
  private final WorkQueue queue;
  private final Informer<ResourceQuota> quotas;
  private final Informer<Pod> pods;
  private final List<Informer<ObjectMeta>> replenished = new ArrayList<>();

  public ResourceQuotaController(Client client, SharedInformers informers, WorkQueue queue, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.quotas = informers.informer(Kinds.RESOURCE_QUOTAS);
    this.pods = informers.informer(Kinds.PODS);
    quotas.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(ResourceQuota quota) {
        queue.add(Keys.of(quota.metadata()));
      }

      @Override
      public void onUpdate(ResourceQuota old, ResourceQuota quota) {
        // admission's writes to status.used are no reason to count again; a change of the limits is
        if (!old.specHard().equals(quota.specHard()) || !quota.specHard().equals(quota.statusHard())) {
          queue.add(Keys.of(quota.metadata()));
        }
      }
    });
    pods.addHandler(new Informer.Handler<>() {
      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (!old.isTerminal() && pod.isTerminal()) {
          replenish(pod.metadata().namespace());
        }
      }

      @Override
      public void onDelete(Pod pod) {
        replenish(pod.metadata().namespace());
      }
    });
    for (ResourceType type : REPLENISHED) {
      Informer<ObjectMeta> informer = informers.informer(Kinds.metadata(type));
      informer.addHandler(new Informer.Handler<>() {
        @Override
        public void onDelete(ObjectMeta object) {
          replenish(object.namespace());
        }
      });
      replenished.add(informer);
    }
  }

  @Override
  public List<Informer<?>> informers() {
    List<Informer<?>> all = new ArrayList<>(List.of(quotas, pods));
    all.addAll(replenished);
    return all;
  }

  /** Counts every quota of the namespace again. */
  private void replenish(String namespace) {
    quotas.list(namespace).forEach(quota -> queue.add(Keys.of(quota.metadata())));
  }

  @Override
  public long reconcile(String key) {
    ObjectNode quota;
    try {
      quota = client.get(ResourceTypes.RESOURCE_QUOTAS, Keys.namespace(key), Keys.name(key));
    } catch (ApiException e) {
      if (e.code() == 404) {
        return 0;
      }
      throw e;
    }
    ObjectNode status = Json.object();
    ResourceList hard = ResourceList.from(Json.get(quota, "spec"), "hard");
    status.set("hard", hard.toJson());
    status.set("used", used(quota, hard).toJson());
    if (!status.equals(Json.get(quota, "status"))) {
      ObjectNode updated = quota.deepCopy();
      updated.set("status", status);
      // with the resourceVersion read: a write of admission in between fails this one (409) and it is counted again
      client.updateStatus(ResourceTypes.RESOURCE_QUOTAS, updated);
    }
    return RESYNC.toMillis();
  }

  /**
   * CalculateUsage: for each kind that counts some of the hard resources, the usage of its objects in the namespace
   * that are in the quota's scopes; the previous observation kept for resources no kind counts, a zero for those
   * with no objects, and only the hard resources.
   */
  ResourceList used(ObjectNode quota, ResourceList hard) {
    String namespace = Json.textOrNull(quota, "metadata", "namespace");
    List<ScopeSelector> scopes = ScopeSelector.of(quota);
    Instant now = clock.instant();
    Map<String, Quantity> used = new TreeMap<>(
        ResourceList.from(Json.get(quota, "status"), "used").quantities());
    for (ResourceType type : ResourceTypes.ALL) {
      if (!type.namespaced() || type.equals(ResourceTypes.BINDINGS) || type.equals(ResourceTypes.EVENTS)
          || type.equals(ResourceTypes.EVENTS_V1)) {
        continue;
      }
      QuotaEvaluator evaluator = QuotaEvaluator.forType(type);
      List<String> matching = evaluator.matchingResources(hard.names());
      if (matching.isEmpty()) {
        continue;
      }
      ResourceList total = ResourceList.EMPTY;
      for (ObjectNode object : client.list(type, namespace, ListOptions.ALL).items()) {
        if (scopes.stream().allMatch(scope -> evaluator.matchesScope(scope, object))) {
          total = total.add(evaluator.usage(object, now).mask(matching));
        }
      }
      for (String resource : matching) {
        used.put(resource, total.get(resource));
      }
    }
    return ResourceList.of(used).mask(hard.names());
  }
}
