package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerPort;
import io.minicluster.api.core.ContainerState;
import io.minicluster.api.core.ContainerStatus;
import io.minicluster.api.core.EndpointAddress;
import io.minicluster.api.core.EndpointSubset;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.api.core.ServicePort;
import io.minicluster.api.meta.Condition;
import io.minicluster.client.Informer;
import io.minicluster.socks.StatusEntry;
import io.minicluster.socks.StatusLink;
import io.minicluster.socks.StatusPageExtension;
import io.minicluster.socks.StatusSection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's status page as the cluster's front page: every service and pod, each TCP port a link by its cluster
 * name (which the PAC file sends through the gateway), and for what is not ready, why: a service without ready
 * endpoints names its pods' problems (or that no pod matches its selector); a pod names its phase, its conditions
 * that are not True and its containers' waiting or terminated reasons. Read from the shared informers' caches on
 * every page request.
 */
public final class ClusterFrontPage implements StatusPageExtension {
  private static final Comparator<Service> SERVICE_ORDER = Comparator.comparing(
      (Service service) -> service.metadata().namespace()).thenComparing(service -> service.metadata().name());
  private static final Comparator<Pod> POD_ORDER = Comparator.comparing((Pod pod) -> pod.metadata().namespace())
      .thenComparing(pod -> pod.metadata().name());

  private final String domain;
  private final Informer<Service> services;
  private final Informer<Endpoints> endpoints;
  private final Informer<Pod> pods;

  public ClusterFrontPage(String domain, Informer<Service> services, Informer<Endpoints> endpoints,
      Informer<Pod> pods) {
    this.domain = requireNonNull(domain, "domain is null");
    this.services = requireNonNull(services, "services is null");
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
    this.pods = requireNonNull(pods, "pods is null");
  }

  @Override
  public List<StatusSection> sections() {
    return List.of(new StatusSection("Services", services.list().stream().sorted(SERVICE_ORDER)
        .map(this::service).toList()),
        new StatusSection("Pods", pods.list().stream().sorted(POD_ORDER).map(this::pod).toList()));
  }

  private StatusEntry service(Service service) {
    String namespace = service.metadata().namespace();
    String name = service.metadata().name();
    String type = service.spec().type().isEmpty() ? "ClusterIP" : service.spec().type();
    if (type.equals("ExternalName")) {
      return StatusEntry.text(namespace + "/" + name + "  ExternalName " + service.spec().externalName());
    }
    String text = namespace + "/" + name + "  " + type + " "
        + (service.spec().isHeadless() ? "headless" : service.spec().clusterIP());
    String host = name + "." + namespace + ".svc." + domain;
    List<StatusLink> links = new ArrayList<>();
    for (ServicePort port : service.spec().ports()) {
      if (ServiceBackends.isTcp(port.protocol())) {
        links.add(new StatusLink(port.port() + "/TCP" + (port.name().isEmpty() ? "" : " " + port.name()),
            scheme(port.port(), port.name(), port.appProtocol()) + "://" + host + ":" + port.port() + "/"));
      }
    }
    List<EndpointSubset> subsets = endpoints.get(namespace, name).map(Endpoints::subsets).orElse(List.of());
    if (subsets.stream().anyMatch(subset -> !subset.addresses().isEmpty())) {
      return StatusEntry.ready(text, links);
    }
    Map<String, String> selector = service.spec().selector();
    if (selector.isEmpty()) {
      // endpoints managed by hand (or by the API server, for kubernetes): nothing to say about pods
      return subsets.isEmpty() ? StatusEntry.notReady(text, links, "no endpoints (the service has no selector)")
          : StatusEntry.notReady(text, links, "no ready endpoints");
    }
    List<String> reasons = new ArrayList<>();
    for (Pod pod : pods.list(namespace).stream().sorted(POD_ORDER).toList()) {
      if (pod.metadata().labels().entrySet().containsAll(selector.entrySet())) {
        reasons.add(pod.metadata().name() + ": " + problem(pod).orElse("ready, not yet in the endpoints"));
      }
    }
    if (reasons.isEmpty()) {
      return StatusEntry.notReady(text, links, "no ready endpoints: no pod matches the selector "
          + selectorText(selector));
    }
    return StatusEntry.notReady(text, links, "no ready endpoints: " + String.join("; ", reasons));
  }

  private StatusEntry pod(Pod pod) {
    String namespace = pod.metadata().namespace();
    String name = pod.metadata().name();
    String ip = pod.status().podIP();
    String phase = pod.status().phase().isEmpty() ? "Pending" : pod.status().phase();
    String text = namespace + "/" + name + "  " + phase + (ip.isEmpty() ? "" : " " + ip);
    List<StatusLink> links = new ArrayList<>();
    if (!ip.isEmpty() && !pod.spec().hostNetwork()) {
      // by name when it is one DNS label, else by its address (1-2-3-4.ns.pod): both resolve in the gateway
      String label = name.contains(".") ? ip.replace('.', '-').replace(':', '-') : name;
      String host = label + "." + namespace + ".pod." + domain;
      for (Container container : pod.spec().containers()) {
        for (ContainerPort port : container.ports()) {
          if (ServiceBackends.isTcp(port.protocol())) {
            links.add(new StatusLink(port.containerPort() + "/TCP" + (port.name().isEmpty() ? "" : " " + port.name()),
                scheme(port.containerPort(), port.name(), null) + "://" + host + ":" + port.containerPort() + "/"));
          }
        }
      }
    }
    return problem(pod).map(problem -> StatusEntry.notReady(text, links, problem))
        .orElseGet(() -> StatusEntry.ready(text, links));
  }

  /**
   * Why a pod is not ready, empty when it is (Running and Ready): terminating, its phase and reason, each condition
   * that is not True with its reason and message, and each container that waits or has terminated with why.
   */
  static Optional<String> problem(Pod pod) {
    boolean running = pod.status().phase().equals("Running");
    if (running && Condition.isTrue(pod.status().conditions(), "Ready") && !pod.metadata().isDeleting()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    if (pod.metadata().isDeleting()) {
      parts.add("terminating");
    }
    if (!running) {
      String phase = pod.status().phase().isEmpty() ? "Pending" : pod.status().phase();
      parts.add(phase + detail(pod.status().reason(), pod.status().message()));
    }
    for (Condition condition : pod.status().conditions()) {
      if (!condition.isTrue()) {
        parts.add(condition.type() + " " + condition.status() + detail(condition.reason(), condition.message()));
      }
    }
    List<ContainerStatus> statuses = new ArrayList<>(pod.status().initContainerStatuses());
    statuses.addAll(pod.status().containerStatuses());
    for (ContainerStatus status : statuses) {
      ContainerState state = status.state();
      if (state.waiting() != null) {
        parts.add("container " + status.name() + " waiting" + detail(state.waiting().reason(),
            state.waiting().message()));
      } else if (state.terminated() != null && !status.ready()) {
        parts.add("container " + status.name() + " terminated" + detail(state.terminated().reason(),
            state.terminated().message()) + " (exit code " + state.terminated().exitCode() + ")");
      } else if (state.running() != null && !status.ready()) {
        parts.add("container " + status.name() + " running, not ready");
      }
    }
    if (parts.isEmpty()) {
      parts.add("not ready");
    }
    return Optional.of(String.join(", ", parts));
  }

  /** ": reason (message)", ": reason", ": message" or nothing. */
  private static String detail(String reason, String message) {
    String text = reason.isEmpty() ? message : message.isEmpty() ? reason : reason + " (" + message + ")";
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String selectorText(Map<String, String> selector) {
    return String.join(",", selector.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
  }

  /** https for port 443 and ports named or declared https, else http. */
  private static String scheme(int port, String name, String appProtocol) {
    boolean https = port == 443 || name.toLowerCase(Locale.ROOT).startsWith("https")
        || appProtocol != null && appProtocol.toLowerCase(Locale.ROOT).equals("https");
    return https ? "https" : "http";
  }
}
