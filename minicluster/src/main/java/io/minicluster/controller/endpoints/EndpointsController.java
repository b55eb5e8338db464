package io.minicluster.controller.endpoints;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.labels.LabelSelector;
import io.minicluster.client.Client;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.endpoints.ServiceEndpoints.Port;
import io.minicluster.controller.enqueue.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.podstate.Pods;
import io.minicluster.json.Json;
import io.minicluster.registry.DeleteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints controller (pkg/controller/endpoint): for every service with a selector, an Endpoints object of the
 * same name whose subsets list the selected pods with an IP, ready ones under {@code addresses} and the others under
 * {@code notReadyAddresses}, grouped by their resolved ports. The {@code default/kubernetes} service is left to the
 * API server; services without a selector are left to their users.
 */
public final class EndpointsController implements ControllerLoop {
  private final Client client;
  private final Informer<ObjectNode> services;
  private final Informer<ObjectNode> pods;
  private final Informer<ObjectNode> endpoints;
  private final WorkQueue queue;

  public EndpointsController(Client client, SharedInformers informers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.services = informers.informer(Kind.tree(ResourceTypes.SERVICES));
    this.pods = informers.informer(Kind.tree(ResourceTypes.PODS));
    this.endpoints = informers.informer(Kind.tree(ResourceTypes.ENDPOINTS));
    services.addHandler(Handlers.enqueueing(service -> queue.add(Keys.of(service))));
    endpoints.addHandler(Handlers.enqueueing(object -> queue.add(Keys.of(object))));
    pods.addHandler(ServiceEndpoints.enqueueServicesSelecting(services, queue));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(services, pods, endpoints);
  }

  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    String name = Keys.name(key);
    if ("default".equals(namespace) && "kubernetes".equals(name)) {
      return 0;
    }
    ObjectNode service = services.get(namespace, name).orElse(null);
    if (service == null) {
      client.deleteIfExists(ResourceTypes.ENDPOINTS, namespace, name, DeleteOptions.DEFAULT);
      return 0;
    }
    LabelSelector selector = ServiceEndpoints.selector(service);
    if (selector == null) {
      return 0;
    }
    boolean publishNotReady = ServiceEndpoints.publishNotReady(service);
    // pods grouped by their resolved port list, as RepackSubsets groups them
    Map<List<Port>, List<ObjectNode>> ready = new LinkedHashMap<>();
    Map<List<Port>, List<ObjectNode>> notReady = new LinkedHashMap<>();
    for (ObjectNode pod : pods.list(p -> namespace.equals(Meta.namespace(p)) && selector.matchesObject(p))) {
      String phase = Pods.phase(pod);
      if (ServiceEndpoints.podIp(pod) == null || "Succeeded".equals(phase) || "Failed".equals(phase)
          || (Meta.deleting(pod) && !publishNotReady)) {
        continue;
      }
      List<Port> ports = ServiceEndpoints.sortedPorts(service, pod);
      if (ports.isEmpty() && ServiceEndpoints.hasPorts(service)) {
        continue;
      }
      boolean isReady = publishNotReady || Pods.ready(pod);
      (isReady ? ready : notReady).computeIfAbsent(ports, p -> new ArrayList<>()).add(pod);
      (isReady ? notReady : ready).computeIfAbsent(ports, p -> new ArrayList<>());
    }
    ArrayNode subsets = Json.array();
    for (Map.Entry<List<Port>, List<ObjectNode>> entry : ready.entrySet()) {
      ObjectNode subset = Json.object();
      addAddresses(subset, "addresses", entry.getValue());
      addAddresses(subset, "notReadyAddresses", notReady.getOrDefault(entry.getKey(), List.of()));
      if (!entry.getKey().isEmpty()) {
        ArrayNode ports = subset.putArray("ports");
        for (Port port : entry.getKey()) {
          ObjectNode node = ports.addObject();
          if (!port.name().isEmpty()) {
            node.put("name", port.name());
          }
          node.put("port", port.port());
          node.put("protocol", port.protocol());
          if (port.appProtocol() != null) {
            node.put("appProtocol", port.appProtocol());
          }
        }
      }
      subsets.add(subset);
    }
    Map<String, String> labels = new LinkedHashMap<>(Meta.labels(service));
    if ("None".equals(Json.textOrNull(service, "spec", "clusterIP"))) {
      labels.put("service.kubernetes.io/headless", "");
    }
    ObjectNode current = endpoints.get(namespace, name).orElse(null);
    if (current == null) {
      ObjectNode object = Json.object();
      ObjectNode metadata = object.putObject("metadata");
      metadata.put("name", name);
      if (!labels.isEmpty()) {
        ObjectNode labelNode = metadata.putObject("labels");
        labels.forEach(labelNode::put);
      }
      if (!subsets.isEmpty()) {
        object.set("subsets", subsets);
      }
      try {
        client.create(ResourceTypes.ENDPOINTS, namespace, object);
      } catch (ApiException e) {
        if (e.code() != 409) {
          throw e;
        }
        queue.addAfter(key, Duration.ofMillis(100));
      }
      return 0;
    }
    JsonNode currentSubsets = current.get("subsets");
    boolean sameSubsets = subsets.isEmpty() ? currentSubsets == null || currentSubsets.isEmpty()
        : subsets.equals(currentSubsets);
    if (sameSubsets && Meta.labels(current).equals(labels)) {
      return 0;
    }
    client.modify(ResourceTypes.ENDPOINTS, namespace, name, object -> {
      if (subsets.isEmpty()) {
        object.remove("subsets");
      } else {
        object.set("subsets", subsets.deepCopy());
      }
      ObjectNode metadata = Meta.metadata(object);
      if (labels.isEmpty()) {
        metadata.remove("labels");
      } else {
        ObjectNode labelNode = metadata.putObject("labels");
        labels.forEach(labelNode::put);
      }
      return object;
    });
    return 0;
  }

  private static void addAddresses(ObjectNode subset, String field, List<ObjectNode> pods) {
    if (pods.isEmpty()) {
      return;
    }
    List<ObjectNode> sorted = new ArrayList<>(pods);
    sorted.sort(Comparator.comparing((ObjectNode pod) -> ServiceEndpoints.podIp(pod)).thenComparing(Meta::uid));
    ArrayNode addresses = subset.putArray(field);
    for (ObjectNode pod : sorted) {
      ObjectNode address = addresses.addObject();
      address.put("ip", ServiceEndpoints.podIp(pod));
      String node = Json.textOrNull(pod, "spec", "nodeName");
      if (node != null && !node.isEmpty()) {
        address.put("nodeName", node);
      }
      address.set("targetRef", ServiceEndpoints.targetRef(pod));
    }
  }
}
