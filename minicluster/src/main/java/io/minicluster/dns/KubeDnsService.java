package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kube-system/kube-dns} service that every cluster has (kubeadm's, with the same name, labels and ports),
 * here without a selector: the DNS runs in the daemon, not in pods, so the daemon writes the service's Endpoints and
 * EndpointSlice itself (as the apiserver does for {@code default/kubernetes}), naming the address the server listens
 * on. The service proxy routes the cluster IP to it like to any endpoint.
 */
public final class KubeDnsService {
  public static final String NAMESPACE = "kube-system";
  public static final String NAME = "kube-dns";
  /** The slice the daemon writes; the endpoint slice controller leaves slices managed by others alone. */
  static final String SLICE_NAME = "kube-dns-node";
  static final String MANAGED_BY = "minicluster-cluster-dns";
  private static final Logger LOG = LoggerFactory.getLogger(KubeDnsService.class);

  private final Client client;
  private final String clusterIp;
  private final String nodeName;

  /**
   * @param client writes as the daemon
   * @param clusterIp the service's cluster IP (the cluster DNS address pods get)
   * @param nodeName the node the endpoint is on
   */
  public KubeDnsService(Client client, String clusterIp, String nodeName) {
    this.client = requireNonNull(client, "client is null");
    this.clusterIp = requireNonNull(clusterIp, "clusterIp is null");
    this.nodeName = requireNonNull(nodeName, "nodeName is null");
  }

  /**
   * Creates the service unless it exists. A service of that name with another cluster IP is left as it is (a user's
   * choice) and reported; its IP is returned so that pods can be given the address that answers.
   */
  public String ensureService() {
    Optional<ObjectNode> existing = client.find(ResourceTypes.SERVICES, NAMESPACE, NAME);
    if (existing.isPresent()) {
      String ip = existing.get().path("spec").path("clusterIP").asText();
      if (!ip.equals(clusterIp)) {
        LOG.warn("the service {}/{} has the cluster IP {}, not the configured cluster DNS address {}", NAMESPACE,
            NAME, ip, clusterIp);
      }
      return ip;
    }
    ObjectNode service = Json.object();
    ObjectNode metadata = service.putObject("metadata");
    metadata.put("name", NAME);
    metadata.put("namespace", NAMESPACE);
    ObjectNode labels = metadata.putObject("labels");
    labels.put("k8s-app", "kube-dns");
    labels.put("kubernetes.io/cluster-service", "true");
    labels.put("kubernetes.io/name", "CoreDNS");
    ObjectNode spec = service.putObject("spec");
    spec.put("type", "ClusterIP");
    spec.put("clusterIP", clusterIp);
    spec.putArray("clusterIPs").add(clusterIp);
    ArrayNode ports = spec.putArray("ports");
    ports.addObject().put("name", "dns").put("port", 53).put("protocol", "UDP").put("targetPort", 53);
    ports.addObject().put("name", "dns-tcp").put("port", 53).put("protocol", "TCP").put("targetPort", 53);
    try {
      client.create(ResourceTypes.SERVICES, NAMESPACE, service);
      LOG.info("created the service {}/{} with cluster IP {}", NAMESPACE, NAME, clusterIp);
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
    }
    return clusterIp;
  }

  /**
   * Points the service at the address the DNS server listens on (port 53 over UDP and TCP): its Endpoints (not mirrored
   * into a slice) and its EndpointSlice, created or replaced.
   */
  public void publishEndpoint(String address, int port) {
    requireNonNull(address, "address is null");
    ObjectNode service = client.get(ResourceTypes.SERVICES, NAMESPACE, NAME);
    ObjectNode endpoints = Json.object();
    ObjectNode metadata = endpoints.putObject("metadata");
    metadata.put("name", NAME);
    metadata.put("namespace", NAMESPACE);
    metadata.putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
    ObjectNode subset = endpoints.putArray("subsets").addObject();
    subset.putArray("addresses").addObject().put("ip", address).put("nodeName", nodeName);
    ports(subset.putArray("ports"), port);
    upsert(ResourceTypes.ENDPOINTS, endpoints, current -> {
      Meta.metadata(current).set("labels", metadata.get("labels").deepCopy());
      current.set("subsets", endpoints.get("subsets").deepCopy());
      return current;
    });

    ObjectNode slice = Json.object();
    ObjectNode sliceMetadata = slice.putObject("metadata");
    sliceMetadata.put("name", SLICE_NAME);
    sliceMetadata.put("namespace", NAMESPACE);
    ObjectNode labels = sliceMetadata.putObject("labels");
    labels.put(ClusterIndex.SERVICE_NAME_LABEL, NAME);
    labels.put("endpointslice.kubernetes.io/managed-by", MANAGED_BY);
    ObjectNode owner = sliceMetadata.putArray("ownerReferences").addObject();
    owner.put("apiVersion", "v1").put("kind", "Service").put("name", NAME).put("uid", Meta.uid(service))
        .put("controller", true).put("blockOwnerDeletion", true);
    slice.put("addressType", "IPv4");
    ObjectNode endpoint = slice.putArray("endpoints").addObject();
    endpoint.putArray("addresses").add(address);
    endpoint.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
    endpoint.put("nodeName", nodeName);
    ports(slice.putArray("ports"), port);
    upsert(ResourceTypes.ENDPOINT_SLICES, slice, current -> {
      Meta.metadata(current).set("labels", labels.deepCopy());
      Meta.metadata(current).set("ownerReferences", sliceMetadata.get("ownerReferences").deepCopy());
      current.put("addressType", "IPv4");
      current.set("endpoints", slice.get("endpoints").deepCopy());
      current.set("ports", slice.get("ports").deepCopy());
      return current;
    });
    LOG.info("the service {}/{} points at {}:{}", NAMESPACE, NAME, address, port);
  }

  /** Creates the object, or when it exists, changes it with {@code change}. */
  private void upsert(ResourceType type, ObjectNode object, UnaryOperator<ObjectNode> change) {
    if (client.find(type, NAMESPACE, Meta.name(object)).isPresent()) {
      client.modify(type, NAMESPACE, Meta.name(object), change);
      return;
    }
    try {
      client.create(type, NAMESPACE, object);
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
      client.modify(type, NAMESPACE, Meta.name(object), change);
    }
  }

  private static void ports(ArrayNode ports, int port) {
    ports.addObject().put("name", "dns").put("port", port).put("protocol", "UDP");
    ports.addObject().put("name", "dns-tcp").put("port", port).put("protocol", "TCP");
  }
}
