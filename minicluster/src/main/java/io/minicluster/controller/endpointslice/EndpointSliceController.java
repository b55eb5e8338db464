package io.minicluster.controller.endpointslice;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.api.core.ServicePort;
import io.minicluster.api.discovery.EndpointSlice;
import io.minicluster.api.labels.Selector;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.endpoints.ServiceEndpoints.Port;
import io.minicluster.controller.endpoints.ServiceEndpoints;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
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
  private final ServiceEndpoints.Sources sources;
  private final Informer<EndpointSlice> slices;

  public EndpointSliceController(Client client, SharedInformers informers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.sources = ServiceEndpoints.Sources.watch(informers, queue);
    this.slices = informers.informer(Kinds.ENDPOINT_SLICES);
    slices.addHandler(Handlers.enqueueing(slice -> {
      String service = slice.metadata().labels().get(SERVICE_NAME_LABEL);
      if (service != null && managed(slice)) {
        queue.add(Keys.of(slice.metadata().namespace(), service));
      }
    }));
  }

  @Override
  public List<Informer<?>> informers() {
    return sources.and(slices);
  }

  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    String name = Keys.name(key);
    List<EndpointSlice> existing = new ArrayList<>(slices.list(slice -> namespace.equals(slice.metadata().namespace())
        && name.equals(slice.metadata().labels().get(SERVICE_NAME_LABEL)) && managed(slice)
        && !slice.metadata().isDeleting()));
    existing.sort(Comparator.comparing(slice -> slice.metadata().name()));
    Service service = sources.services().get(namespace, name).orElse(null);
    Selector selector = service == null ? null : ServiceEndpoints.selector(service);
    if (service == null || selector == null || ServiceEndpoints.apiServerService(service)) {
      if (service == null || selector == null) {
        existing.forEach(this::delete);
      }
      return 0;
    }
    // desired slices: endpoints grouped by port set, in chunks of MAX_ENDPOINTS_PER_SLICE
    Map<List<Port>, List<ObjectNode>> byPorts = new LinkedHashMap<>();
    List<Pod> selected = new ArrayList<>(sources.selectedPods(service, selector));
    selected.sort(Comparator.comparing(pod -> pod.metadata().name()));
    boolean hasPorts = ServiceEndpoints.hasPorts(service);
    for (Pod pod : selected) {
      String ip = ServiceEndpoints.podIp(pod);
      if (ip == null || ip.contains(":") || pod.isTerminal()) {
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
        EndpointSlice have = existing.get(i);
        if (!same(have, EndpointSlice.from(want))) {
          String uid = have.metadata().uid();
          client.modify(ResourceTypes.ENDPOINT_SLICES, namespace, have.metadata().name(), current -> {
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

  private static boolean managed(EndpointSlice slice) {
    return MANAGER.equals(slice.metadata().labels().get(MANAGED_BY_LABEL));
  }

  private void delete(EndpointSlice slice) {
    client.deleteIfExists(ResourceTypes.ENDPOINT_SLICES, slice.metadata().namespace(), slice.metadata().name(),
        DeleteOptions.DEFAULT.withPreconditionUid(slice.metadata().uid()));
  }

  /** Whether a slice already is what the controller wants (the wanted one read as the informer reads slices). */
  private static boolean same(EndpointSlice have, EndpointSlice want) {
    return have.metadata().labels().equals(want.metadata().labels())
        && have.metadata().ownerReferences().equals(want.metadata().ownerReferences())
        && have.endpoints().equals(want.endpoints()) && have.ports().equals(want.ports())
        && "IPv4".equals(have.addressType());
  }

  /** The service's ports with a numeric target, for the slice of a service without endpoints. */
  private static List<Port> firstPorts(Service service) {
    List<Port> ports = new ArrayList<>();
    for (ServicePort port : service.spec().ports()) {
      if (!port.targetPort().isString()) {
        int target = port.targetPort().intValue();
        ports.add(new Port(port.name(), target == 0 ? port.port() : target,
            ServiceEndpoints.protocol(port.protocol()), port.appProtocol()));
      }
    }
    ports.sort(Comparator.comparing(Port::name).thenComparingInt(Port::port));
    return ports;
  }

  private static ObjectNode endpoint(Service service, Pod pod) {
    boolean terminating = pod.metadata().isDeleting();
    boolean serving = pod.isReady() || ServiceEndpoints.publishNotReady(service);
    ObjectNode endpoint = Json.object();
    endpoint.putArray("addresses").add(ServiceEndpoints.podIp(pod));
    ObjectNode conditions = endpoint.putObject("conditions");
    conditions.put("ready", serving && !terminating);
    conditions.put("serving", serving);
    conditions.put("terminating", terminating);
    String node = ServiceEndpoints.nodeName(pod);
    if (node != null) {
      endpoint.put("nodeName", node);
    }
    endpoint.set("targetRef", ServiceEndpoints.targetRef(pod));
    return endpoint;
  }

  private static ObjectNode slice(Service service, List<Port> ports, List<ObjectNode> endpoints) {
    ObjectNode slice = Json.object();
    ObjectNode metadata = slice.putObject("metadata");
    metadata.put("generateName", service.metadata().name() + "-");
    metadata.put("namespace", service.metadata().namespace());
    Map<String, String> labelMap = ServiceEndpoints.endpointLabels(service);
    labelMap.put(SERVICE_NAME_LABEL, service.metadata().name());
    labelMap.put(MANAGED_BY_LABEL, MANAGER);
    ObjectNode labels = metadata.putObject("labels");
    labelMap.forEach(labels::put);
    ObjectNode owner = OwnerReferences.controllerReference(ResourceTypes.SERVICES, service.metadata());
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
