package io.minicluster.controller.endpoints;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.api.labels.Selector;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.endpoints.ServiceEndpoints.Port;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
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
  private final ServiceEndpoints.Sources sources;
  private final Informer<Endpoints> endpoints;
  private final WorkQueue queue;

  public EndpointsController(Client client, SharedInformers informers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.sources = ServiceEndpoints.Sources.watch(informers, queue);
    this.endpoints = informers.informer(Kinds.ENDPOINTS);
    endpoints.addHandler(Handlers.enqueueing(object -> queue.add(Keys.of(object.metadata()))));
  }

  @Override
  public List<Informer<?>> informers() {
    return sources.and(endpoints);
  }

  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    String name = Keys.name(key);
    if ("default".equals(namespace) && "kubernetes".equals(name)) {
      return 0;
    }
    Service service = sources.services().get(namespace, name).orElse(null);
    if (service == null) {
      client.deleteIfExists(ResourceTypes.ENDPOINTS, namespace, name, DeleteOptions.DEFAULT);
      return 0;
    }
    Selector selector = ServiceEndpoints.selector(service);
    if (selector == null) {
      return 0;
    }
    boolean publishNotReady = ServiceEndpoints.publishNotReady(service);
    // pods grouped by their resolved port list, as RepackSubsets groups them
    Map<List<Port>, List<Pod>> ready = new LinkedHashMap<>();
    Map<List<Port>, List<Pod>> notReady = new LinkedHashMap<>();
    for (Pod pod : sources.selectedPods(service, selector)) {
      if (ServiceEndpoints.podIp(pod) == null || pod.isTerminal()
          || (pod.metadata().isDeleting() && !publishNotReady)) {
        continue;
      }
      List<Port> ports = ServiceEndpoints.sortedPorts(service, pod);
      if (ports.isEmpty() && ServiceEndpoints.hasPorts(service)) {
        continue;
      }
      boolean isReady = publishNotReady || pod.isReady();
      (isReady ? ready : notReady).computeIfAbsent(ports, p -> new ArrayList<>()).add(pod);
      (isReady ? notReady : ready).computeIfAbsent(ports, p -> new ArrayList<>());
    }
    ArrayNode subsets = Json.array();
    for (Map.Entry<List<Port>, List<Pod>> entry : ready.entrySet()) {
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
    Map<String, String> labels = ServiceEndpoints.endpointLabels(service);
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
    Endpoints current = endpoints.get(namespace, name).orElse(null);
    if (current == null) {
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
    // the desired object read as the informer reads the current one
    Endpoints desired = Endpoints.from(object);
    if (desired.subsets().equals(current.subsets())
        && desired.metadata().labels().equals(current.metadata().labels())) {
      return 0;
    }
    client.modify(ResourceTypes.ENDPOINTS, namespace, name, fresh -> {
      if (subsets.isEmpty()) {
        fresh.remove("subsets");
      } else {
        fresh.set("subsets", subsets.deepCopy());
      }
      ObjectNode freshMetadata = Meta.metadata(fresh);
      if (labels.isEmpty()) {
        freshMetadata.remove("labels");
      } else {
        ObjectNode labelNode = freshMetadata.putObject("labels");
        labels.forEach(labelNode::put);
      }
      return fresh;
    });
    return 0;
  }

  private static void addAddresses(ObjectNode subset, String field, List<Pod> pods) {
    if (pods.isEmpty()) {
      return;
    }
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(Comparator.comparing(ServiceEndpoints::podIp).thenComparing(pod -> pod.metadata().uid()));
    ArrayNode addresses = subset.putArray(field);
    for (Pod pod : sorted) {
      ObjectNode address = addresses.addObject();
      address.put("ip", ServiceEndpoints.podIp(pod));
      String node = ServiceEndpoints.nodeName(pod);
      if (node != null) {
        address.put("nodeName", node);
      }
      address.set("targetRef", ServiceEndpoints.targetRef(pod));
    }
  }
}
