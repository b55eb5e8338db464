package io.minicluster.controller.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerPort;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.api.core.ServicePort;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the Endpoints and EndpointSlice controllers share: service selection and port resolution. */
public final class ServiceEndpoints {
  private static final String TCP = "TCP";

  private ServiceEndpoints() {}

  /**
   * The services and pods both controllers read, with the handlers that queue a service's key when the service or a
   * pod it selects changes.
   */
  public record Sources(Informer<Service> services, Informer<Pod> pods) {
    public static Sources watch(SharedInformers informers, WorkQueue queue) {
      Sources sources = new Sources(informers.informer(Kinds.SERVICES), informers.informer(Kinds.PODS));
      sources.services.addHandler(Handlers.enqueueing(service -> queue.add(Keys.of(service.metadata()))));
      sources.pods.addHandler(enqueueServicesSelecting(sources.services, queue));
      return sources;
    }

    /** The services' and pods' informers, and the controller's own. */
    public List<Informer<?>> and(Informer<?> own) {
      return List.of(services, pods, own);
    }

    /** The pods of the service's namespace its selector selects. */
    public List<Pod> selectedPods(Service service, Selector selector) {
      String namespace = service.metadata().namespace();
      return pods.list(pod -> namespace.equals(pod.metadata().namespace())
          && selector.matches(pod.metadata().labels()));
    }
  }

  /** A resolved endpoint port. */
  public record Port(String name, int port, String protocol, String appProtocol) {}

  /** The service's selector, or null when it has none (its endpoints are managed by hand). */
  public static Selector selector(Service service) {
    return service.spec().selector().isEmpty() ? null : Selector.fromMap(service.spec().selector());
  }

  /** The default/kubernetes service: its endpoints are written by the API server. */
  public static boolean apiServerService(Service service) {
    return "default".equals(service.metadata().namespace()) && "kubernetes".equals(service.metadata().name());
  }

  /**
   * The pods informer's handler for both controllers: a pod's change concerns the endpoints of every service in its
   * namespace whose selector selects it, so their keys are queued.
   */
  private static Informer.Handler<Pod> enqueueServicesSelecting(Informer<Service> services, WorkQueue queue) {
    return Handlers.enqueueing(pod -> {
      String namespace = pod.metadata().namespace();
      for (Service service : services.list(s -> namespace.equals(s.metadata().namespace()))) {
        Selector selector = selector(service);
        if (selector != null && selector.matches(pod.metadata().labels())) {
          queue.add(Keys.of(service.metadata()));
        }
      }
    });
  }

  /** Whether the service declares any port. */
  public static boolean hasPorts(Service service) {
    return !service.spec().ports().isEmpty();
  }

  /** {@link #ports(Service, Pod)} sorted by name then port number: the key endpoints are grouped by. */
  public static List<Port> sortedPorts(Service service, Pod pod) {
    List<Port> ports = ports(service, pod);
    ports.sort(Comparator.comparing(Port::name).thenComparingInt(Port::port));
    return ports;
  }

  /** The pod's IP, or null while it has none. */
  public static String podIp(Pod pod) {
    String ip = pod.status().podIP();
    return ip.isEmpty() ? null : ip;
  }

  /** A port's protocol, TCP when unset. */
  public static String protocol(String protocol) {
    return protocol.isEmpty() ? TCP : protocol;
  }

  /**
   * The service's ports resolved for one pod (podutil.FindPort): a numeric targetPort as is (an unset one is the
   * port, as defaulting makes it), a named one through the pod's container ports of that name and protocol; ports
   * that do not resolve are left out.
   */
  public static List<Port> ports(Service service, Pod pod) {
    List<Port> result = new ArrayList<>();
    for (ServicePort port : service.spec().ports()) {
      String protocol = protocol(port.protocol());
      IntOrString target = port.targetPort();
      Integer number;
      if (!target.isString()) {
        number = target.intValue() == 0 ? port.port() : target.intValue();
      } else if (target.stringValue().isEmpty()) {
        number = port.port();
      } else if (target.stringValue().matches("\\d+")) {
        number = Integer.parseInt(target.stringValue());
      } else {
        number = containerPort(pod, target.stringValue(), protocol);
      }
      if (number != null && number > 0) {
        result.add(new Port(port.name(), number, protocol, port.appProtocol()));
      }
    }
    return result;
  }

  private static Integer containerPort(Pod pod, String name, String protocol) {
    for (List<Container> containers : List.of(pod.spec().containers(), pod.spec().initContainers())) {
      for (Container container : containers) {
        for (ContainerPort port : container.ports()) {
          if (name.equals(port.name()) && protocol.equals(protocol(port.protocol()))) {
            return port.containerPort();
          }
        }
      }
    }
    return null;
  }

  /** {kind: Pod, namespace, name, uid}, as written into an endpoint. */
  public static ObjectNode targetRef(Pod pod) {
    ObjectNode reference = Json.object();
    reference.put("kind", "Pod");
    reference.put("namespace", pod.metadata().namespace());
    reference.put("name", pod.metadata().name());
    reference.put("uid", pod.metadata().uid());
    return reference;
  }

  /** The endpoint's nodeName: the pod's node, or null while it has none. */
  public static String nodeName(Pod pod) {
    String node = pod.spec().nodeName();
    return node.isEmpty() ? null : node;
  }

  public static boolean publishNotReady(Service service) {
    return service.spec().publishNotReadyAddresses();
  }

  /** The labels of the service's endpoints: the service's, and the headless label for a headless service. */
  public static Map<String, String> endpointLabels(Service service) {
    Map<String, String> labels = new TreeMap<>(service.metadata().labels());
    if (service.spec().isHeadless()) {
      labels.put("service.kubernetes.io/headless", "");
    }
    return labels;
  }
}
