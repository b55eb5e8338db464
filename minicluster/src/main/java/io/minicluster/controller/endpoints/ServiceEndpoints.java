package io.minicluster.controller.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.labels.LabelSelector;
import io.minicluster.client.Informer;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.enqueue.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What the Endpoints and EndpointSlice controllers share: service selection and port resolution. */
public final class ServiceEndpoints {
  private ServiceEndpoints() {}

  /** A resolved endpoint port. */
  public record Port(String name, int port, String protocol, String appProtocol) {}

  /** The service's selector, or null when it has none (its endpoints are managed by hand). */
  public static LabelSelector selector(JsonNode service) {
    Map<String, String> selector = Meta.stringMap(Json.at(service, "spec", "selector"));
    return selector.isEmpty() ? null : LabelSelector.fromMap(selector);
  }

  /** The default/kubernetes service: its endpoints are written by the API server. */
  public static boolean apiServerService(JsonNode service) {
    return "default".equals(Meta.namespace(service)) && "kubernetes".equals(Meta.name(service));
  }

  /**
   * The pods informer's handler for both controllers: a pod's change concerns the endpoints of every service in its
   * namespace whose selector selects it, so their keys are queued.
   */
  public static Informer.Handler<ObjectNode> enqueueServicesSelecting(Informer<ObjectNode> services, WorkQueue queue) {
    return Handlers.enqueueing(pod -> {
      String namespace = Meta.namespace(pod);
      for (ObjectNode service : services.list(s -> namespace.equals(Meta.namespace(s)))) {
        LabelSelector selector = selector(service);
        if (selector != null && selector.matchesObject(pod)) {
          queue.add(Keys.of(service));
        }
      }
    });
  }

  /** Whether the service declares any port. */
  public static boolean hasPorts(JsonNode service) {
    JsonNode ports = Json.at(service, "spec", "ports");
    return ports != null && ports.size() > 0;
  }

  /** {@link #ports(JsonNode, JsonNode)} sorted by name then port number: the key endpoints are grouped by. */
  public static List<Port> sortedPorts(JsonNode service, JsonNode pod) {
    List<Port> ports = ports(service, pod);
    ports.sort(Comparator.comparing(Port::name).thenComparingInt(Port::port));
    return ports;
  }

  public static String podIp(JsonNode pod) {
    String ip = Json.textOrNull(pod, "status", "podIP");
    return ip == null || ip.isEmpty() ? null : ip;
  }

  /**
   * The service's ports resolved for one pod (podutil.FindPort): a numeric targetPort as is, a named one through
   * the pod's container ports of that name and protocol; ports that do not resolve are left out.
   */
  public static List<Port> ports(JsonNode service, JsonNode pod) {
    List<Port> result = new ArrayList<>();
    JsonNode ports = Json.at(service, "spec", "ports");
    if (ports == null || !ports.isArray()) {
      return result;
    }
    for (JsonNode port : ports) {
      String protocol = port.path("protocol").asText("TCP");
      JsonNode target = port.get("targetPort");
      Integer number = null;
      if (target == null || target.isNull()) {
        number = port.path("port").asInt();
      } else if (target.isNumber()) {
        number = target.asInt();
      } else if (target.asText().matches("\\d+")) {
        number = Integer.parseInt(target.asText());
      } else {
        number = containerPort(pod, target.asText(), protocol);
      }
      if (number != null && number > 0) {
        String name = port.path("name").asText("");
        String appProtocol = Json.textOrNull(port, "appProtocol");
        result.add(new Port(name, number, protocol, appProtocol));
      }
    }
    return result;
  }

  private static Integer containerPort(JsonNode pod, String name, String protocol) {
    for (String field : List.of("containers", "initContainers")) {
      JsonNode containers = Json.at(pod, "spec", field);
      if (containers == null || !containers.isArray()) {
        continue;
      }
      for (JsonNode container : containers) {
        for (JsonNode port : container.path("ports")) {
          if (name.equals(port.path("name").asText()) && protocol.equals(port.path("protocol").asText("TCP"))) {
            return port.path("containerPort").asInt();
          }
        }
      }
    }
    return null;
  }

  /** {kind: Pod, namespace, name, uid}. */
  public static ObjectNode targetRef(JsonNode pod) {
    ObjectNode reference = Json.object();
    reference.put("kind", "Pod");
    reference.put("namespace", Meta.namespace(pod));
    reference.put("name", Meta.name(pod));
    reference.put("uid", Meta.uid(pod));
    return reference;
  }

  public static boolean publishNotReady(JsonNode service) {
    JsonNode value = Json.at(service, "spec", "publishNotReadyAddresses");
    return value != null && value.asBoolean();
  }
}
