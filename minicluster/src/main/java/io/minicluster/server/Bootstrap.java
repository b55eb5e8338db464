package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.storage.StorageClass;
import io.minicluster.controller.volume.LocalPathProvisioner;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.registry.Registries;
import io.minicluster.registry.scheduling.PriorityClassStrategy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates what every cluster has: the system namespaces, and the {@code kubernetes} service in {@code default} with
 * endpoints and an endpoint slice pointing at this API server (refreshed at every start, as the apiserver's endpoint
 * reconciler does), the default StorageClass {@code local-path} and the built-in PriorityClasses
 * {@code system-cluster-critical} and {@code system-node-critical}.
 */
final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
  static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final Registries registries;
  private final ApiserverWrites writes;
  private final String serviceIp;
  private final String hostAddress;
  private final int apiPort;

  Bootstrap(Registries registries, ApiserverWrites writes, String serviceIp, String hostAddress, int apiPort) {
    this.registries = requireNonNull(registries, "registries is null");
    this.writes = requireNonNull(writes, "writes is null");
    this.serviceIp = requireNonNull(serviceIp, "serviceIp is null");
    this.hostAddress = requireNonNull(hostAddress, "hostAddress is null");
    this.apiPort = apiPort;
  }

  void run() {
    GenericRegistry namespaces = registries.get(ResourceTypes.NAMESPACES);
    for (String name : SYSTEM_NAMESPACES) {
      if (namespaces.find(null, name).isEmpty()) {
        ObjectNode namespace = Json.object();
        namespace.putObject("metadata").put("name", name);
        createIgnoringExists(namespaces, null, namespace);
      }
    }
    GenericRegistry services = registries.get(ResourceTypes.SERVICES);
    if (services.find("default", "kubernetes").isEmpty()) {
      ObjectNode service = Json.object();
      ObjectNode metadata = service.putObject("metadata");
      metadata.put("name", "kubernetes");
      metadata.put("namespace", "default");
      ObjectNode labels = metadata.putObject("labels");
      labels.put("component", "apiserver");
      labels.put("provider", "kubernetes");
      ObjectNode spec = service.putObject("spec");
      spec.put("type", "ClusterIP");
      spec.put("clusterIP", serviceIp);
      spec.put("sessionAffinity", "None");
      ObjectNode port = spec.putArray("ports").addObject();
      port.put("name", "https");
      port.put("port", 443);
      port.put("protocol", "TCP");
      port.put("targetPort", apiPort);
      createIgnoringExists(services, "default", service);
    }
    GenericRegistry classes = registries.get(ResourceTypes.STORAGE_CLASSES);
    if (classes.find(null, LocalPathProvisioner.DEFAULT_CLASS).isEmpty()) {
      createIgnoringExists(classes, null, defaultStorageClass());
    }
    // the built-in priority classes, created at every start that finds them absent (AddSystemPriorityClasses)
    GenericRegistry priorityClasses = registries.get(ResourceTypes.PRIORITY_CLASSES);
    for (String name : PriorityClassStrategy.SYSTEM_CLASSES.keySet().stream().sorted().toList()) {
      if (priorityClasses.find(null, name).isEmpty()) {
        createIgnoringExists(priorityClasses, null, PriorityClassStrategy.systemClass(name));
      }
    }
    GenericRegistry endpoints = registries.get(ResourceTypes.ENDPOINTS);
    ObjectNode desired = Json.object();
    ObjectNode metadata = desired.putObject("metadata");
    metadata.put("name", "kubernetes");
    metadata.put("namespace", "default");
    metadata.putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
    ObjectNode subset = desired.putArray("subsets").addObject();
    subset.putArray("addresses").addObject().put("ip", hostAddress);
    ObjectNode endpointPort = subset.putArray("ports").addObject();
    endpointPort.put("name", "https");
    endpointPort.put("port", apiPort);
    endpointPort.put("protocol", "TCP");
    if (endpoints.find("default", "kubernetes").isEmpty()) {
      createIgnoringExists(endpoints, "default", desired);
    } else {
      endpoints.guaranteedUpdate("default", "kubernetes", current -> {
        current.set("subsets", desired.get("subsets").deepCopy());
        return current;
      }, writes.options(endpoints, UpdateKind.MAIN), UpdateKind.MAIN);
    }
    // the reconciler writes the same as an EndpointSlice (endpointsadapter.go), which the service proxy reads
    ObjectNode slice = Json.object();
    ObjectNode sliceMetadata = slice.putObject("metadata");
    sliceMetadata.put("name", "kubernetes");
    sliceMetadata.put("namespace", "default");
    sliceMetadata.putObject("labels").put("kubernetes.io/service-name", "kubernetes");
    slice.put("addressType", hostAddress.contains(":") ? "IPv6" : "IPv4");
    ObjectNode endpoint = slice.putArray("endpoints").addObject();
    endpoint.putArray("addresses").add(hostAddress);
    endpoint.putObject("conditions").put("ready", true);
    slice.putArray("ports").add(endpointPort.deepCopy());
    GenericRegistry slices = registries.get(ResourceTypes.ENDPOINT_SLICES);
    if (slices.find("default", "kubernetes").isEmpty()) {
      createIgnoringExists(slices, "default", slice);
    } else {
      slices.guaranteedUpdate("default", "kubernetes", current -> {
        current.set("addressType", slice.get("addressType").deepCopy());
        current.set("endpoints", slice.get("endpoints").deepCopy());
        current.set("ports", slice.get("ports").deepCopy());
        return current;
      }, writes.options(slices, UpdateKind.MAIN), UpdateKind.MAIN);
    }
    // keep the service's target port in step with the API port
    services.guaranteedUpdate("default", "kubernetes", current -> {
      ArrayNode ports = (ArrayNode) current.path("spec").path("ports");
      if (ports.size() > 0 && ports.get(0).path("targetPort").asInt() != apiPort) {
        ((ObjectNode) ports.get(0)).put("targetPort", apiPort);
        return current;
      }
      return null;
    }, writes.options(services, UpdateKind.MAIN), UpdateKind.MAIN);
  }

  /**
   * k3s' default class: {@code local-path}, served by the built-in local-path provisioner, binding when the first pod
   * uses a claim, deleting a volume with its claim and letting a bound claim grow (unlike k3s'). Created at a start that finds it absent (k3s re-applies it
   * at every start too); an administrator's edits stand.
   */
  static ObjectNode defaultStorageClass() {
    ObjectNode storageClass = Json.object();
    storageClass.put("apiVersion", "storage.k8s.io/v1");
    storageClass.put("kind", "StorageClass");
    ObjectNode metadata = storageClass.putObject("metadata");
    metadata.put("name", LocalPathProvisioner.DEFAULT_CLASS);
    metadata.putObject("annotations").put(StorageClass.DEFAULT_ANNOTATION, "true");
    storageClass.put("provisioner", LocalPathProvisioner.NAME);
    storageClass.put("reclaimPolicy", "Delete");
    storageClass.put("volumeBindingMode", StorageClass.WAIT_FOR_FIRST_CONSUMER);
    // a volume is a host directory: growing one records a larger capacity, nothing to copy or resize
    storageClass.put("allowVolumeExpansion", true);
    return storageClass;
  }

  private void createIgnoringExists(GenericRegistry registry, String namespace, ObjectNode object) {
    try {
      registry.create(namespace, object, writes.options(registry, UpdateKind.MAIN));
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
      LOG.debug("{} exists already", object.path("metadata").path("name").asText());
    }
  }
}
