package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.LoadBalancerIngress;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Service;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.json.Json;
import java.util.List;

/**
 * The load balancer of a single node, as small distributions have it: a LoadBalancer service without a {@code
 * spec.loadBalancerClass} (one with a class belongs to another implementation) gets {@code status.loadBalancer.ingress}
 * = the node's addresses (the proxy answers there), and a service that is no longer of type LoadBalancer has it
 * cleared, as the service controller does. Only that field is written, through the status subresource. Keys are
 * "namespace/name" of services.
 */
public final class LoadBalancerStatusWriter implements Controller.Reconciler {
  /** The field manager of the writes. */
  public static final String MANAGER = "service-lb-controller";

  private final Client client;
  private final String nodeName;
  private final Informer<Service> services;
  private final Informer<Node> nodes;

  public LoadBalancerStatusWriter(Client client, SharedInformers informers, String nodeName, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.nodeName = requireNonNull(nodeName, "nodeName is null");
    requireNonNull(informers, "informers is null");
    requireNonNull(queue, "queue is null");
    this.services = informers.informer(Kinds.SERVICES);
    this.nodes = informers.informer(Kinds.NODES);
    services.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(Service service) {
        queue.add(key(service));
      }

      @Override
      public void onUpdate(Service old, Service service) {
        queue.add(key(service));
      }
    });
    nodes.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(Node node) {
        enqueueAll(queue);
      }

      @Override
      public void onUpdate(Node old, Node node) {
        if (!old.status().addresses().equals(node.status().addresses())) {
          enqueueAll(queue);
        }
      }
    });
  }

  /** The informers to sync before the first reconcile. */
  public List<Informer<?>> informers() {
    return List.of(services, nodes);
  }

  private void enqueueAll(WorkQueue queue) {
    for (Service service : services.list()) {
      if ("LoadBalancer".equals(service.spec().type()) || !service.status().loadBalancer().ingress().isEmpty()) {
        queue.add(key(service));
      }
    }
  }

  private static String key(Service service) {
    return service.metadata().namespace() + "/" + service.metadata().name();
  }

  @Override
  public long reconcile(String key) {
    int slash = key.indexOf('/');
    Service service = services.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
    if (service == null || service.spec().loadBalancerClass() != null) {
      return 0;
    }
    List<String> wanted = "LoadBalancer".equals(service.spec().type())
        ? ServiceProxy.nodeAddresses(nodes, nodeName) : List.of();
    if (ingressIps(service.status().loadBalancer().ingress()).equals(wanted)) {
      return 0;
    }
    String uid = service.metadata().uid();
    try {
      client.modifyStatus(ResourceTypes.SERVICES, service.metadata().namespace(), service.metadata().name(),
          current -> uid.equals(Meta.uid(current)) ? withIngress(current, wanted) : null);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }

  /** The object with status.loadBalancer.ingress = one VIP entry per address (none: an empty load balancer status). */
  static ObjectNode withIngress(ObjectNode service, List<String> ips) {
    ObjectNode loadBalancer = Json.with(service, "status", "loadBalancer");
    if (ips.isEmpty()) {
      if (!loadBalancer.has("ingress")) {
        return null;
      }
      loadBalancer.remove("ingress");
      return service;
    }
    ArrayNode ingress = Json.array();
    for (String ip : ips) {
      ingress.addObject().put("ip", ip).put("ipMode", "VIP");
    }
    if (ingress.equals(loadBalancer.get("ingress"))) {
      return null;
    }
    loadBalancer.set("ingress", ingress);
    return service;
  }

  private static List<String> ingressIps(List<LoadBalancerIngress> ingress) {
    return ingress.stream().map(LoadBalancerIngress::ip).toList();
  }
}
