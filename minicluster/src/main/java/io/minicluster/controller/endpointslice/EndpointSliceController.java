package io.minicluster.controller.endpointslice;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.minicluster.controller.endpoints.ServiceEndpoints;
import io.minicluster.controller.enqueue.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.controller.podstate.Pods;
import io.minicluster.json.Json;
import io.minicluster.registry.DeleteOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EndpointSlice controller (pkg/controller/endpointslice): for every service with a selector, IPv4
 * EndpointSlices named {@code <service>-xxxxx}, one per distinct set of resolved ports (at most 100 endpoints each),
 * labelled {@code kubernetes.io/service-name} and managed-by {@code endpointslice-controller.k8s.io}, owned by the
 * service. Endpoints carry the ready, serving and terminating conditions; terminating pods stay listed.
 */
public final class EndpointSliceController implements ControllerLoop {
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String MANAGER = "endpointslice-controller.k8s.io";
  static final int MAX_ENDPOINTS_PER_SLICE = 100;

  private final Client client;
  private final Informer<ObjectNode> services;
  private final Informer<ObjectNode> pods;
  private final Informer<ObjectNode> slices;

  public EndpointSliceController(Client client, SharedInformers informers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.services = informers.informer(Kind.tree(ResourceTypes.SERVICES));
    this.pods = informers.informer(Kind.tree(ResourceTypes.PODS));
    this.slices = informers.informer(Kind.tree(ResourceTypes.ENDPOINT_SLICES));
    services.addHandler(Handlers.enqueueing(service -> queue.add(Keys.of(service))));
    slices.addHandler(Handlers.enqueueing(slice -> {
      String service = Meta.labels(slice).get(SERVICE_NAME_LABEL);
      if (service != null && MANAGER.equals(Meta.labels(slice).get(MANAGED_BY_LABEL))) {
        queue.add(Keys.of(Meta.namespace(slice), service));
      }
    }));
    pods.addHandler(ServiceEndpoints.enqueueServicesSelecting(services, queue));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(services, pods, slices);
  }

  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    String name = Keys.name(key);
    List<ObjectNode> existing = new ArrayList<>(slices.list(slice -> namespace.equals(Meta.namespace(slice))
        && name.equals(Meta.labels(slice).get(SERVICE_NAME_LABEL))
        && MANAGER.equals(Meta.labels(slice).get(MANAGED_BY_LABEL)) && !Meta.deleting(slice)));
    existing.sort(Comparator.comparing(Meta::name));
    ObjectNode service = services.get(namespace, name).orElse(null);
    LabelSelector selector = service == null ? null : ServiceEndpoints.selector(service);
    if (service == null || selector == null || ServiceEndpoints.apiServerService(service)) {
      if (service == null || selector == null) {
        existing.forEach(this::delete);
      }
      return 0;
    }
    // desired slices: endpoints grouped by port set, in chunks of MAX_ENDPOINTS_PER_SLICE
    Map<List<Port>, List<ObjectNode>> byPorts = new LinkedHashMap<>();
    List<ObjectNode> selected = new ArrayList<>(pods.list(p -> namespace.equals(Meta.namespace(p))
        && selector.matchesObject(p)));
    selected.sort(Comparator.comparing(Meta::name));
    boolean hasPorts = ServiceEndpoints.hasPorts(service);
    for (ObjectNode pod : selected) {
      String phase = Pods.phase(pod);
      String ip = ServiceEndpoints.podIp(pod);
      if (ip == null || ip.contains(":") || "Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      List<Port> ports = ServiceEndpoints.sortedPorts(service, pod);
      if (ports.isEmpty() && hasPorts) {
        continue;
      }
      byPorts.computeIfAbsent(ports, p -> new ArrayList<>()).add(endpoint(service, pod));
    }
    List<ObjectNode> desired = new ArrayList<>();
    for (Map.Entry<List<Port>, List<ObjectNode>> entry : byPorts.entrySet()) {
      List<ObjectNode> endpoints = entry.getValue();
      for (int start = 0; start < endpoints.size(); start += MAX_ENDPOINTS_PER_SLICE) {
        desired.add(slice(service, entry.getKey(),
            endpoints.subList(start, Math.min(endpoints.size(), start + MAX_ENDPOINTS_PER_SLICE))));
      }
    }
    if (desired.isEmpty()) {
      // a service without endpoints still has one (empty) slice
      desired.add(slice(service, hasPorts ? firstPorts(service) : List.of(), List.of()));
    }
    // reuse existing slices in order, create the missing, delete the extra
    for (int i = 0; i < desired.size(); i++) {
      ObjectNode want = desired.get(i);
      if (i < existing.size()) {
        ObjectNode have = existing.get(i);
        if (!same(have, want)) {
          String uid = Meta.uid(have);
          client.modify(ResourceTypes.ENDPOINT_SLICES, namespace, Meta.name(have), current -> {
            if (!uid.equals(Meta.uid(current))) {
              return null;
            }
            Meta.metadata(current).set("labels", want.at("/metadata/labels").deepCopy());
            Meta.metadata(current).set("ownerReferences", want.at("/metadata/ownerReferences").deepCopy());
            current.set("endpoints", want.get("endpoints").deepCopy());
            if (want.has("ports")) {
              current.set("ports", want.get("ports").deepCopy());
            } else {
              current.remove("ports");
            }
            return current;
          });
        }
      } else {
        client.create(ResourceTypes.ENDPOINT_SLICES, namespace, want);
      }
    }
    for (int i = desired.size(); i < existing.size(); i++) {
      delete(existing.get(i));
    }
    return 0;
  }

  private void delete(ObjectNode slice) {
    client.deleteIfExists(ResourceTypes.ENDPOINT_SLICES, Meta.namespace(slice), Meta.name(slice),
        DeleteOptions.DEFAULT.withPreconditionUid(Meta.uid(slice)));
  }

  private static boolean same(ObjectNode have, ObjectNode want) {
    return have.at("/metadata/labels").equals(want.at("/metadata/labels"))
        && have.at("/metadata/ownerReferences").equals(want.at("/metadata/ownerReferences"))
        && have.path("endpoints").equals(want.path("endpoints"))
        && have.path("ports").equals(want.path("ports"))
        && "IPv4".equals(have.path("addressType").asText());
  }

  private static List<Port> firstPorts(ObjectNode service) {
    List<Port> ports = new ArrayList<>();
    for (JsonNode port : service.at("/spec/ports")) {
      JsonNode target = port.get("targetPort");
      if (target == null || target.isNumber()) {
        ports.add(new Port(port.path("name").asText(""), target == null ? port.path("port").asInt() : target.asInt(),
            port.path("protocol").asText("TCP"), Json.textOrNull(port, "appProtocol")));
      }
    }
    ports.sort(Comparator.comparing(Port::name).thenComparingInt(Port::port));
    return ports;
  }

  private static ObjectNode endpoint(ObjectNode service, ObjectNode pod) {
    boolean terminating = Meta.deleting(pod);
    boolean serving = Pods.ready(pod) || ServiceEndpoints.publishNotReady(service);
    ObjectNode endpoint = Json.object();
    endpoint.putArray("addresses").add(ServiceEndpoints.podIp(pod));
    ObjectNode conditions = endpoint.putObject("conditions");
    conditions.put("ready", serving && !terminating);
    conditions.put("serving", serving);
    conditions.put("terminating", terminating);
    String node = Json.textOrNull(pod, "spec", "nodeName");
    if (node != null && !node.isEmpty()) {
      endpoint.put("nodeName", node);
    }
    endpoint.set("targetRef", ServiceEndpoints.targetRef(pod));
    return endpoint;
  }

  private static ObjectNode slice(ObjectNode service, List<Port> ports, List<ObjectNode> endpoints) {
    ObjectNode slice = Json.object();
    ObjectNode metadata = slice.putObject("metadata");
    metadata.put("generateName", Meta.name(service) + "-");
    metadata.put("namespace", Meta.namespace(service));
    ObjectNode labels = metadata.putObject("labels");
    Meta.labels(service).forEach(labels::put);
    labels.put(SERVICE_NAME_LABEL, Meta.name(service));
    labels.put(MANAGED_BY_LABEL, MANAGER);
    if ("None".equals(Json.textOrNull(service, "spec", "clusterIP"))) {
      labels.put("service.kubernetes.io/headless", "");
    }
    ObjectNode owner = OwnerReferences.controllerReference(service);
    metadata.putArray("ownerReferences").add(owner);
    slice.put("addressType", "IPv4");
    ArrayNode endpointNodes = slice.putArray("endpoints");
    endpoints.forEach(endpointNodes::add);
    if (!ports.isEmpty()) {
      ArrayNode portNodes = slice.putArray("ports");
      for (Port port : ports) {
        ObjectNode node = portNodes.addObject();
        node.put("name", port.name());
        node.put("port", port.port());
        node.put("protocol", port.protocol());
        if (port.appProtocol() != null) {
          node.put("appProtocol", port.appProtocol());
        }
      }
    }
    return slice;
  }
}
