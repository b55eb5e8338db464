package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.EndpointAddress;
import io.minicluster.api.core.EndpointSubset;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.socks.resolve.NameResolver;
import io.minicluster.socks.resolve.Resolution;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Resolves cluster names inside the SOCKS gateway from the cluster's own records (the shared informers' caches):
 * {@code svc}, {@code svc.ns}, {@code svc.ns.svc}, {@code svc.ns.svc.cluster.local} (headless services resolve to
 * every ready endpoint address, among which the gateway picks one per connection),
 * {@code 1-2-3-4.ns.pod.cluster.local}, and {@code podname.ns.pod} for a pod by name. Bare names are looked up in the
 * {@code default} namespace. Other names are not served here.
 */
public final class ClusterNameResolver implements NameResolver {
  private final String domain;
  private final BiFunction<String, String, Optional<Service>> services;
  private final BiFunction<String, String, Optional<Endpoints>> endpoints;
  private final BiFunction<String, String, Optional<Pod>> pods;
  private final Function<String, Boolean> namespaceExists;

  public ClusterNameResolver(String domain, BiFunction<String, String, Optional<Service>> services,
      BiFunction<String, String, Optional<Endpoints>> endpoints, BiFunction<String, String, Optional<Pod>> pods,
      Function<String, Boolean> namespaceExists) {
    this.domain = requireNonNull(domain, "domain is null");
    this.services = requireNonNull(services, "services is null");
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
    this.pods = requireNonNull(pods, "pods is null");
    this.namespaceExists = requireNonNull(namespaceExists, "namespaceExists is null");
  }

  @Override
  public Resolution resolve(String host) throws UnknownHostException {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    boolean qualified = false;
    if (name.endsWith("." + domain)) {
      name = name.substring(0, name.length() - domain.length() - 1);
      qualified = true;
    }
    String[] labels = name.split("\\.");
    if (labels.length == 3 && labels[2].equals("svc")) {
      return service(labels[1], labels[0]);
    }
    if (labels.length == 3 && labels[2].equals("pod")) {
      return pod(labels[1], labels[0]);
    }
    if (qualified) {
      return Resolution.unknown();
    }
    if (labels.length == 1) {
      return service("default", labels[0]).equals(Resolution.unknown()) ? Resolution.notMine()
          : service("default", labels[0]);
    }
    if (labels.length == 2 && namespaceExists.apply(labels[1])) {
      return service(labels[1], labels[0]);
    }
    return Resolution.notMine();
  }

  private Resolution service(String namespace, String name) throws UnknownHostException {
    Optional<Service> service = services.apply(namespace, name);
    if (service.isEmpty()) {
      return Resolution.unknown();
    }
    String clusterIp = service.get().spec().clusterIP();
    if (!clusterIp.isEmpty() && !service.get().spec().isHeadless()) {
      return Resolution.resolved(InetAddress.getByName(clusterIp));
    }
    // headless: every ready endpoint address, as cluster DNS answers
    Set<InetAddress> ready = new LinkedHashSet<>();
    for (EndpointSubset subset : endpoints.apply(namespace, name).map(Endpoints::subsets).orElse(List.of())) {
      for (EndpointAddress address : subset.addresses()) {
        if (!address.ip().isEmpty()) {
          ready.add(InetAddress.getByName(address.ip()));
        }
      }
    }
    return ready.isEmpty() ? Resolution.unknown() : Resolution.resolved(List.copyOf(ready));
  }

  private Resolution pod(String namespace, String label) throws UnknownHostException {
    if (label.matches("\\d{1,3}(-\\d{1,3}){3}")) {
      return Resolution.resolved(InetAddress.getByName(label.replace('-', '.')));
    }
    Optional<Pod> pod = pods.apply(namespace, label);
    if (pod.isEmpty()) {
      return Resolution.unknown();
    }
    String ip = pod.get().status().podIP();
    if (ip.isEmpty() || pod.get().metadata().isDeleting()) {
      return Resolution.unknown();
    }
    return Resolution.resolved(InetAddress.getByName(ip));
  }

  static List<String> examples(String domain) {
    return List.of("web", "web.default", "web.default.svc", "web.default.svc." + domain,
        "10-244-0-5.default.pod." + domain, "mypod.default.pod");
  }
}
