package io.minicluster.controller.apiservice;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The APIServices of the daemon's own API, as kube-apiserver's autoregister controller and kube-aggregator's
 * availability controller keep them: every group/version discovery serves has its Local APIService (named
 * {@code version.group}, {@code v1.} for the core group, labelled {@value #AUTOMANAGED_LABEL}, with the aggregator's
 * priorities for the built-in groups and those of a CRD for other groups), updated when its spec drifts and deleted
 * when discovery no longer serves it; APIServices without the label are the users'. A Local APIService is Available;
 * one pointing at a service is not (reason {@value #NOT_PROXIED_REASON}): the daemon does not proxy to aggregated API
 * servers. The served list is read again every {@link #RESYNC_MILLIS} ms; keys are APIService names and
 * {@value #SYNC}.
 */
public final class ApiServiceController implements ControllerLoop {
  public static final String AUTOMANAGED_LABEL = "kube-aggregator.kubernetes.io/automanaged";
  static final String SYNC = "";
  static final long RESYNC_MILLIS = 30_000;
  static final String NOT_PROXIED_REASON = "FailedDiscoveryCheck";

  /** kube-apiserver's apiVersionPriorities and DefaultGenericAPIServicePriorities: {groupPriorityMinimum, version}. */
  private static final Map<String, int[]> PRIORITIES = Map.ofEntries(
      Map.entry("v1", new int[] {18000, 1}),
      Map.entry("apiregistration.k8s.io/v1", new int[] {18000, 15}),
      Map.entry("apps/v1", new int[] {17800, 15}),
      Map.entry("events.k8s.io/v1", new int[] {17750, 15}),
      Map.entry("authentication.k8s.io/v1", new int[] {17700, 15}),
      Map.entry("authorization.k8s.io/v1", new int[] {17600, 15}),
      Map.entry("autoscaling/v1", new int[] {17500, 15}),
      Map.entry("autoscaling/v2", new int[] {17500, 30}),
      Map.entry("batch/v1", new int[] {17400, 15}),
      Map.entry("certificates.k8s.io/v1", new int[] {17300, 15}),
      Map.entry("networking.k8s.io/v1", new int[] {17200, 15}),
      Map.entry("policy/v1", new int[] {17100, 15}),
      Map.entry("rbac.authorization.k8s.io/v1", new int[] {17000, 15}),
      Map.entry("storage.k8s.io/v1", new int[] {16800, 15}),
      Map.entry("apiextensions.k8s.io/v1", new int[] {16700, 15}),
      Map.entry("admissionregistration.k8s.io/v1", new int[] {16700, 15}),
      Map.entry("scheduling.k8s.io/v1", new int[] {16600, 15}),
      Map.entry("coordination.k8s.io/v1", new int[] {16500, 15}),
      Map.entry("node.k8s.io/v1", new int[] {16300, 15}),
      Map.entry("discovery.k8s.io/v1", new int[] {16200, 15}),
      Map.entry("flowcontrol.apiserver.k8s.io/v1", new int[] {16100, 21}),
      // served by metrics-server on a cluster, whose manifest registers it with these
      Map.entry("metrics.k8s.io/v1beta1", new int[] {100, 100}));
  /** The crdregistration controller's priorities, for a group the table does not know. */
  private static final int[] CUSTOM = {1000, 100};

  /** An APIService as the controller reads it. */
  record ApiService(String name, boolean automanaged, JsonNode spec, JsonNode available) {
    static ApiService from(ObjectNode apiService) {
      JsonNode metadata = Json.get(apiService, "metadata");
      JsonNode available = Conditions.get(Json.get(apiService, "status"), "Available");
      return new ApiService(Json.text(metadata, "name"), Json.has(Json.get(metadata, "labels"), AUTOMANAGED_LABEL),
          Json.get(apiService, "spec"), available);
    }
  }

  static final Kind<ApiService> API_SERVICES = new Kind<>(ResourceTypes.API_SERVICES, ApiService::from);

  private final Client client;
  private final Informer<ApiService> apiServices;
  private final Supplier<List<String>> servedGroupVersions;
  private final WorkQueue queue;
  private final Clock clock;

  /**
   * @param servedGroupVersions what discovery serves, as apiVersions ("v1", "apps/v1"), read at every sync: the same
   *     source as the discovery documents
   */
  public ApiServiceController(Client client, SharedInformers informers, WorkQueue queue,
      Supplier<List<String>> servedGroupVersions, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.servedGroupVersions = requireNonNull(servedGroupVersions, "servedGroupVersions is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.apiServices = informers.informer(API_SERVICES);
    apiServices.addHandler(Handlers.enqueueing(apiService -> queue.add(apiService.name())));
    queue.add(SYNC);
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(apiServices);
  }

  @Override
  public long reconcile(String key) {
    Map<String, ObjectNode> desired = desired();
    if (key.equals(SYNC)) {
      desired.keySet().forEach(queue::add);
      apiServices.list(ApiService::automanaged).forEach(apiService -> queue.add(apiService.name()));
      return RESYNC_MILLIS;
    }
    ApiService current = apiServices.get(null, key).orElse(null);
    try {
      ObjectNode wanted = desired.get(key);
      if (current == null) {
        if (wanted != null) {
          client.create(ResourceTypes.API_SERVICES, null, wanted);
        }
        return 0;
      }
      if (current.automanaged()) {
        if (wanted == null) {
          client.delete(ResourceTypes.API_SERVICES, null, key, DeleteOptions.DEFAULT);
          return 0;
        }
        if (!wanted.get("spec").equals(current.spec())) {
          client.modify(ResourceTypes.API_SERVICES, null, key, apiService -> {
            apiService.set("spec", wanted.get("spec").deepCopy());
            return apiService;
          });
          return 0;
        }
      }
      ObjectNode available = availability(current.spec());
      if (!sameCondition(available, current.available())) {
        client.modifyStatus(ResourceTypes.API_SERVICES, null, key, apiService -> setAvailable(apiService, available));
      }
    } catch (ApiException e) {
      // 409: the cache lags (the informer's event requeues the key); 404: deleted meanwhile
      if (e.code() != 409 && e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }

  /** The Local APIService of every served group/version, by name. */
  Map<String, ObjectNode> desired() {
    Map<String, ObjectNode> desired = new LinkedHashMap<>();
    for (String apiVersion : servedGroupVersions.get()) {
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String version = apiVersion.substring(slash + 1);
      if (group.isEmpty() && !version.equals("v1")) {
        continue; // an older core version (v1beta3, for the 2015 tutorial) has no APIService: only v1 may have no group
      }
      int[] priority = PRIORITIES.getOrDefault(apiVersion, CUSTOM);
      ObjectNode apiService = Json.object();
      ObjectNode metadata = apiService.putObject("metadata");
      metadata.put("name", version + "." + group);
      metadata.putObject("labels").put(AUTOMANAGED_LABEL, "onstart");
      apiService.putObject("spec").put("group", group).put("version", version)
          .put("groupPriorityMinimum", priority[0]).put("versionPriority", priority[1]);
      desired.put(version + "." + group, apiService);
    }
    return desired;
  }

  /** The Available condition the availability controller gives an APIService of this spec (without times). */
  static ObjectNode availability(JsonNode spec) {
    JsonNode service = Json.get(spec, "service");
    ObjectNode condition = Json.object().put("type", "Available");
    if (service == null || service.isNull()) {
      return condition.put("status", "True").put("reason", "Local")
          .put("message", "Local APIServices are always available");
    }
    return condition.put("status", "False").put("reason", NOT_PROXIED_REASON)
        .put("message", "minicluster does not proxy to aggregated API servers: service/" + Json.text(service, "name")
            + " in \"" + Json.text(service, "namespace") + "\" is not called");
  }

  private static boolean sameCondition(ObjectNode wanted, JsonNode current) {
    return current != null && Json.text(current, "status").equals(Json.text(wanted, "status"))
        && Json.text(current, "reason").equals(Json.text(wanted, "reason"))
        && Json.text(current, "message").equals(Json.text(wanted, "message"));
  }

  private ObjectNode setAvailable(ObjectNode apiService, ObjectNode wanted) {
    ObjectNode condition = availability(Json.get(apiService, "spec"));
    if (!condition.equals(wanted)) {
      return null; // the spec changed since: its own event requeues it
    }
    ObjectNode status = Json.with(apiService, "status");
    JsonNode previous = Conditions.get(status, "Available");
    condition.put("lastTransitionTime", Conditions.transitionTime(previous, Json.text(condition, "status"),
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()));
    status.putArray("conditions").add(condition);
    return apiService;
  }
}
