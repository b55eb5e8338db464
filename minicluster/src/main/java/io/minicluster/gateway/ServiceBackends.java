package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.client.Informer;
import io.minicluster.json.Json;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Maps a service's virtual address (clusterIP:port) to one of its ready endpoints (podIP:targetPort), as kube-proxy
 * does, so the gateway never sends packets to a virtual IP itself. Services are indexed by clusterIP from the shared
 * service informer's events (the first service seen with an address keeps it); endpoints are read from the shared
 * endpoints informer.
 */
public final class ServiceBackends {
  private final Informer<ObjectNode> services;
  private final Informer<ObjectNode> endpoints;
  /** clusterIP to the key of its service. */
  private final Map<String, String> byClusterIp = new ConcurrentHashMap<>();
  /** Service key to the clusterIP it holds in the index; touched on the informer's dispatch thread only. */
  private final Map<String, String> indexed = new HashMap<>();

  public ServiceBackends(Informer<ObjectNode> services, Informer<ObjectNode> endpoints) {
    this.services = requireNonNull(services, "services is null");
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
    services.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(ObjectNode service) {
        index(service);
      }

      @Override
      public void onUpdate(ObjectNode old, ObjectNode service) {
        index(service);
      }

      @Override
      public void onDelete(ObjectNode service) {
        unindex(Meta.key(service));
      }
    });
  }

  /** The result of a lookup: the service exists or not, and a backend if one is ready. */
  public record Lookup(boolean serviceFound, Optional<InetSocketAddress> backend) {}

  public Lookup backend(String clusterIp, int port) {
    String key = byClusterIp.get(clusterIp);
    ObjectNode service = key == null ? null : services.get(Keys.namespace(key), Keys.name(key)).orElse(null);
    if (service == null) {
      return new Lookup(false, Optional.empty());
    }
    for (JsonNode servicePort : service.path("spec").path("ports")) {
      if (servicePort.path("port").asInt() != port
          || !servicePort.path("protocol").asText("TCP").equals("TCP")) {
        continue;
      }
      String portName = servicePort.path("name").asText("");
      Optional<ObjectNode> endpoint = endpoints.get(Meta.namespace(service), Meta.name(service));
      List<InetSocketAddress> candidates = new ArrayList<>();
      if (endpoint.isPresent()) {
        for (JsonNode subset : endpoint.get().path("subsets")) {
          int targetPort = -1;
          for (JsonNode endpointPort : subset.path("ports")) {
            if (endpointPort.path("name").asText("").equals(portName)
                && endpointPort.path("protocol").asText("TCP").equals("TCP")) {
              targetPort = endpointPort.path("port").asInt();
            }
          }
          if (targetPort <= 0) {
            continue;
          }
          for (JsonNode address : subset.path("addresses")) {
            String ip = address.path("ip").asText("");
            if (!ip.isEmpty()) {
              candidates.add(new InetSocketAddress(ip, targetPort));
            }
          }
        }
      }
      if (candidates.isEmpty()) {
        return new Lookup(true, Optional.empty());
      }
      return new Lookup(true, Optional.of(candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()))));
    }
    return new Lookup(true, Optional.empty());
  }

  private void index(ObjectNode service) {
    String key = Meta.key(service);
    String ip = Json.textOrNull(service, "spec", "clusterIP");
    if (ip == null || ip.isEmpty() || ip.equals("None")) {
      unindex(key);
      return;
    }
    if (ip.equals(indexed.get(key))) {
      return;
    }
    unindex(key);
    if (byClusterIp.putIfAbsent(ip, key) == null) {
      indexed.put(key, ip);
    }
  }

  private void unindex(String key) {
    String ip = indexed.remove(key);
    if (ip != null) {
      byClusterIp.remove(ip, key);
    }
  }

  /** Namespace and name of a key "namespace/name". */
  private static final class Keys {
    static String namespace(String key) {
      return key.substring(0, key.indexOf('/'));
    }

    static String name(String key) {
      return key.substring(key.indexOf('/') + 1);
    }
  }
}
