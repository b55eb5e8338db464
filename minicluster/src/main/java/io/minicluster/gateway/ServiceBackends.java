package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Maps a service's virtual address (clusterIP:port) to one of its ready endpoints (podIP:targetPort), as kube-proxy
 * does, so the gateway never sends packets to a virtual IP itself.
 *
 * <p>Services are indexed by clusterIP in a snapshot that is rebuilt only when {@code revision} (the store revision,
 * which changes on every write) differs from the one the snapshot was taken at, so a connection does not list and
 * scan every service. The revision must be read before the list it guards: a list then reflects at least that
 * revision, and a write in between only causes one extra rebuild. Endpoints are still looked up per connection.
 */
public final class ServiceBackends {
  private final Supplier<List<ObjectNode>> services;
  private final LongSupplier revision;
  private final BiFunction<String, String, Optional<ObjectNode>> endpoints;
  private volatile Snapshot snapshot;

  public ServiceBackends(Supplier<List<ObjectNode>> services, LongSupplier revision,
      BiFunction<String, String, Optional<ObjectNode>> endpoints) {
    this.services = requireNonNull(services, "services is null");
    this.revision = requireNonNull(revision, "revision is null");
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
  }

  /** Services by clusterIP, the first listed winning, as of one store revision. */
  private record Snapshot(long revision, Map<String, ObjectNode> byClusterIp) {}

  /** The result of a lookup: the service exists or not, and a backend if one is ready. */
  public record Lookup(boolean serviceFound, Optional<InetSocketAddress> backend) {}

  public Lookup backend(String clusterIp, int port) {
    ObjectNode service = servicesByClusterIp().get(clusterIp);
    if (service == null) {
      return new Lookup(false, Optional.empty());
    }
    for (JsonNode servicePort : service.path("spec").path("ports")) {
      if (servicePort.path("port").asInt() != port
          || !servicePort.path("protocol").asText("TCP").equals("TCP")) {
        continue;
      }
      String portName = servicePort.path("name").asText("");
      Optional<ObjectNode> endpoint = endpoints.apply(Meta.namespace(service), Meta.name(service));
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

  private Map<String, ObjectNode> servicesByClusterIp() {
    long current = revision.getAsLong();
    Snapshot known = snapshot;
    if (known != null && known.revision() == current) {
      return known.byClusterIp();
    }
    Map<String, ObjectNode> byClusterIp = new HashMap<>();
    for (ObjectNode service : services.get()) {
      String ip = Json.text(service, "spec", "clusterIP");
      if (ip != null) {
        byClusterIp.putIfAbsent(ip, service);
      }
    }
    Map<String, ObjectNode> frozen = Map.copyOf(byClusterIp);
    snapshot = new Snapshot(current, frozen);
    return frozen;
  }
}
