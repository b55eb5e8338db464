package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.LoadBalancerIngress;
import io.minicluster.api.core.Service;
import io.minicluster.api.core.ServicePort;
import io.minicluster.api.core.ServiceSpec;
import io.minicluster.api.discovery.Endpoint;
import io.minicluster.api.discovery.EndpointPort;
import io.minicluster.api.discovery.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The desired rule set from services, endpoint slices and the node's addresses: a pure function with the semantics of
 * kube-proxy's iptables proxier (pkg/proxy/iptables/proxier.go, pkg/proxy/topology.go, endpointslicecache.go) on the
 * proxy's node: an endpoint is local when its nodeName is that node (one without a nodeName is not, as in
 * kube-proxy), and traffic policies Local use the local ones only. IPv4 only.
 */
public final class ProxyRules {
  /** The label naming an endpoint slice's service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /** ClientIP affinity's default timeout (v1.DefaultClientIPServiceAffinitySeconds). */
  public static final int DEFAULT_AFFINITY_SECONDS = 10800;

  /**
   * kube-proxy's largeClusterEndpointsThreshold: with more endpoints than this (over all service ports) the rules of
   * endpoint chains and the service chains' jumps to them carry no comment (kube-proxy's large cluster mode), which
   * makes an iptables-restore of 1,000 services with 3 endpoints each markedly cheaper on the nft backend.
   */
  static final int LARGE_CLUSTER_ENDPOINTS = 1000;

  private static final String[] PROBABILITIES = new String[64];

  private ProxyRules() {}

  /** A service port to proxy with its endpoints. */
  private record ProxiedServicePort(Service service, ServicePort port, String key, List<Backend> backends) {}

  /** An endpoint as kube-proxy's BaseEndpointInfo sees it. */
  private record Backend(String ip, int port, boolean ready, boolean serving, boolean terminating, boolean local) {
    String address() {
      return ip + ":" + port;
    }
  }

  /**
   * Computes the rule set.
   *
   * @param services every service
   * @param slices every endpoint slice
   * @param nodeAddresses the node's IPv4 addresses (node ports answer there; a load balancer without an ingress IP in
   *     its status answers there, the address the status will report)
   */
  public static RuleSet compute(List<Service> services, List<EndpointSlice> slices, List<String> nodeAddresses,
      ProxyConfig config) {
    requireNonNull(services, "services is null");
    requireNonNull(slices, "slices is null");
    requireNonNull(nodeAddresses, "nodeAddresses is null");
    requireNonNull(config, "config is null");
    Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
    for (EndpointSlice slice : slices) {
      String service = slice.metadata().labels().get(SERVICE_NAME_LABEL);
      if (service != null && !service.isEmpty() && "IPv4".equals(slice.addressType())) {
        slicesByService.computeIfAbsent(slice.metadata().namespace() + "/" + service, k -> new ArrayList<>())
            .add(slice);
      }
    }
    List<String> nodeIps = nodeAddresses.stream().filter(ProxyRules::isIpv4).distinct().toList();
    List<Service> sorted = new ArrayList<>(services);
    sorted.sort(Comparator.comparing((Service s) -> s.metadata().namespace()).thenComparing(s -> s.metadata().name()));
    List<ProxiedServicePort> proxied = new ArrayList<>();
    int totalEndpoints = 0;
    for (Service service : sorted) {
      ServiceSpec spec = service.spec();
      if (!isIpv4(spec.clusterIP()) || "ExternalName".equals(spec.type())) {
        continue; // headless, ExternalName, not yet allocated or IPv6: nothing to proxy
      }
      String key = service.metadata().namespace() + "/" + service.metadata().name();
      for (ServicePort port : spec.ports()) {
        List<Backend> backends = backends(slicesByService.getOrDefault(key, List.of()), port, config.nodeName());
        proxied.add(new ProxiedServicePort(service, port, key, backends));
        totalEndpoints += backends.size();
      }
    }
    Builder builder = new Builder(config, totalEndpoints > LARGE_CLUSTER_ENDPOINTS);
    for (ProxiedServicePort port : proxied) {
      builder.servicePort(port.service(), port.port(), port.key(), port.backends(), nodeIps);
    }
    builder.finish(nodeIps);
    return builder.build();
  }

  /** The endpoints of a service port, as kube-proxy's EndpointSliceCache groups them; sorted by "ip:port". */
  private static List<Backend> backends(List<EndpointSlice> slices, ServicePort servicePort, String nodeName) {
    Map<String, Backend> byAddress = new TreeMap<>();
    String protocol = protocol(servicePort);
    for (EndpointSlice slice : slices) {
      for (EndpointPort port : slice.ports()) {
        if (port.name() == null || port.port() == null || port.port() == 0
            || !port.name().equals(servicePort.name())
            || !(port.protocol() == null ? "TCP" : port.protocol()).equalsIgnoreCase(protocol)) {
          continue;
        }
        for (Endpoint endpoint : slice.endpoints()) {
          if (endpoint.addresses().isEmpty() || !isIpv4(endpoint.addresses().get(0))) {
            continue;
          }
          Boolean ready = endpoint.conditions() == null ? null : endpoint.conditions().ready();
          Boolean serving = endpoint.conditions() == null ? null : endpoint.conditions().serving();
          Boolean terminating = endpoint.conditions() == null ? null : endpoint.conditions().terminating();
          Backend backend = new Backend(endpoint.addresses().get(0), port.port(), ready == null || ready,
              serving == null || serving, terminating != null && terminating, nodeName.equals(endpoint.nodeName()));
          // the same IP twice (a terminating pod's IP reused): the running pod wins
          if (!byAddress.containsKey(backend.address()) || !backend.terminating()) {
            byAddress.put(backend.address(), backend);
          }
        }
      }
    }
    return List.copyOf(byAddress.values());
  }

  private static String protocol(ServicePort port) {
    return port.protocol().isEmpty() ? "TCP" : port.protocol();
  }

  /** Whether a string is a dotted-quad IPv4 address (no leading zeros), without a regex: it runs per endpoint. */
  static boolean isIpv4(String address) {
    if (address == null || address.isEmpty() || address.length() > 15) {
      return false;
    }
    int octets = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= address.length(); i++) {
      char c = i < address.length() ? address.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || value > 255 || (digits > 1 && address.charAt(i - digits) == '0')) {
          return false;
        }
        octets++;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
      } else {
        return false;
      }
    }
    return octets == 4;
  }

  /** kube-proxy's computeProbability: 1/n with ten decimals. */
  static String probability(int n) {
    if (n < PROBABILITIES.length) {
      String cached = PROBABILITIES[n];
      if (cached == null) {
        cached = String.format(Locale.ROOT, "%.10f", 1.0 / n);
        PROBABILITIES[n] = cached;
      }
      return cached;
    }
    return String.format(Locale.ROOT, "%.10f", 1.0 / n);
  }

  /** Accumulates chains and rules, table by table, in kube-proxy's order. */
  private static final class Builder {
    private final ProxyConfig config;
    private final Chains names;
    private final Map<Table, Map<String, List<String>>> chains = new EnumMap<>(Table.class);
    private final List<String> natServices = new ArrayList<>();
    private final Map<String, RuleSet.ProxiedPort> ports = new LinkedHashMap<>();
    private final boolean largeCluster;

    Builder(ProxyConfig config, boolean largeCluster) {
      this.config = config;
      this.largeCluster = largeCluster;
      this.names = config.chains();
      for (String chain : List.of(names.services(), names.externalServices(), names.forward(), names.input())) {
        chain(Table.FILTER, chain);
      }
      // pods to the host's cluster DNS (port 53 on the pod network's gateway) and API server, past a host firewall
      for (String protocol : List.of("udp", "tcp")) {
        rule(Table.FILTER, names.input(), comment("minicluster pods reach the cluster DNS") + "-s " + config.podCidr()
            + " -p " + protocol + " -m " + protocol + " --dport 53 -j ACCEPT");
      }
      if (config.apiPort() > 0) {
        rule(Table.FILTER, names.input(), comment("minicluster pods reach the API server") + "-s " + config.podCidr()
            + " -p tcp -m tcp --dport " + config.apiPort() + " -j ACCEPT");
      }
      for (String chain : List.of(names.services(), names.nodePorts(), names.postrouting(), names.markMasq())) {
        chain(Table.NAT, chain);
      }
      // masquerade what was marked, once (the mark is cleared so that a packet traversing again is not re-marked)
      rule(Table.NAT, names.postrouting(), comment("minicluster traffic not marked for SNAT") + "-m mark ! --mark "
          + Chains.MASQ_MARK + "/" + Chains.MASQ_MARK + " -j RETURN");
      rule(Table.NAT, names.postrouting(), comment("minicluster clears the SNAT mark") + "-j MARK --xor-mark "
          + Chains.MASQ_MARK);
      rule(Table.NAT, names.postrouting(),
          comment("minicluster service traffic requiring SNAT") + "-j MASQUERADE --random-fully");
      rule(Table.NAT, names.markMasq(), comment("minicluster marks for SNAT") + "-j MARK --or-mark "
          + Chains.MASQ_MARK);
    }

    private List<String> chain(Table table, String chain) {
      return chains.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(chain, c -> new ArrayList<>());
    }

    private void rule(Table table, String chain, String rule) {
      chain(table, chain).add(rule);
    }

    void servicePort(Service service, ServicePort port, String serviceKey, List<Backend> backends,
        List<String> nodeIps) {
      ServiceSpec spec = service.spec();
      String name = port.name().isEmpty() ? serviceKey : serviceKey + ":" + port.name();
      String protocol = protocol(port).toLowerCase(Locale.ROOT);
      String match = "-p " + protocol + " -m " + protocol;
      String clusterIp = spec.clusterIP();
      boolean externalType = "NodePort".equals(spec.type()) || "LoadBalancer".equals(spec.type());
      int nodePort = externalType ? port.nodePort() : 0;
      List<String> externalIps = spec.externalIPs().stream().filter(ProxyRules::isIpv4).distinct().toList();
      List<String> loadBalancerIps = loadBalancerIps(service, nodeIps);
      boolean internalLocal = "Local".equals(spec.internalTrafficPolicy());
      boolean externalLocal = externalType && "Local".equals(spec.externalTrafficPolicy());
      boolean externallyAccessible = nodePort != 0 || !loadBalancerIps.isEmpty() || !externalIps.isEmpty();
      boolean usesCluster = !internalLocal || externallyAccessible;
      boolean usesLocal = internalLocal || (externalLocal && externallyAccessible);
      int stickySeconds = 0;
      if ("ClientIP".equals(spec.sessionAffinity())) {
        stickySeconds = spec.sessionAffinityConfig() != null && spec.sessionAffinityConfig().clientIP() != null
            && spec.sessionAffinityConfig().clientIP().timeoutSeconds() != null
            ? spec.sessionAffinityConfig().clientIP().timeoutSeconds() : DEFAULT_AFFINITY_SECONDS;
      }

      // topology.go CategorizeEndpoints: ready ones, else the serving terminating ones; of the local ones for Local
      List<Backend> clusterEndpoints = List.of();
      boolean hasEndpoints = false;
      if (usesCluster) {
        clusterEndpoints = usable(backends);
        hasEndpoints = !clusterEndpoints.isEmpty();
      }
      List<Backend> localEndpoints = List.of();
      List<Backend> reachable = clusterEndpoints;
      if (usesLocal) {
        localEndpoints = usable(backends.stream().filter(Backend::local).toList());
        hasEndpoints = hasEndpoints || !localEndpoints.isEmpty();
        if (!usesCluster) {
          reachable = localEndpoints;
        } else {
          Map<String, Backend> union = new TreeMap<>();
          clusterEndpoints.forEach(b -> union.put(b.address(), b));
          localEndpoints.forEach(b -> union.put(b.address(), b));
          reachable = List.copyOf(union.values());
        }
      }

      String clusterChain = names.serviceChain(name, protocol);
      String localChain = names.localChain(name, protocol);
      String externalChain = names.externalChain(name, protocol);
      boolean usesClusterChain = !clusterEndpoints.isEmpty() && usesCluster;
      boolean usesLocalChain = !localEndpoints.isEmpty() && usesLocal;
      String internalChain = internalLocal ? localChain : clusterChain;
      boolean hasInternalEndpoints = hasEndpoints && (!internalLocal || !localEndpoints.isEmpty());
      String externalPolicyChain = externalLocal ? localChain : clusterChain;
      boolean hasExternalEndpoints = hasEndpoints && (!externalLocal || !localEndpoints.isEmpty());
      boolean usesExternalChain = hasEndpoints && externallyAccessible;

      String internalFilterTarget = null;
      String internalFilterComment = null;
      String externalFilterTarget = null;
      String externalFilterComment = null;
      if (!hasEndpoints) {
        internalFilterTarget = "REJECT";
        internalFilterComment = name + " has no endpoints";
        externalFilterTarget = "REJECT";
        externalFilterComment = internalFilterComment;
      } else {
        if (!hasInternalEndpoints) {
          internalFilterTarget = "DROP";
          internalFilterComment = name + " has no local endpoints";
        }
        if (!hasExternalEndpoints) {
          externalFilterTarget = "DROP";
          externalFilterComment = name + " has no local endpoints";
        }
      }
      String dport = " --dport " + port.port();

      // the cluster IP
      if (hasInternalEndpoints) {
        natServices.add(comment(name + " cluster IP") + match + " -d " + clusterIp + "/32" + dport + " -j "
            + internalChain);
      } else {
        rule(Table.FILTER, names.services(), comment(internalFilterComment) + match + " -d " + clusterIp + "/32"
            + dport + " -j " + internalFilterTarget);
      }
      // external IPs
      for (String ip : externalIps) {
        if (hasEndpoints) {
          natServices.add(comment(name + " external IP") + match + " -d " + ip + "/32" + dport + " -j "
              + externalChain);
        }
        if (!hasExternalEndpoints) {
          rule(Table.FILTER, names.externalServices(), comment(externalFilterComment) + match + " -d " + ip + "/32"
              + dport + " -j " + externalFilterTarget);
        }
      }
      // load-balancer ingress
      for (String ip : loadBalancerIps) {
        if (hasEndpoints) {
          natServices.add(comment(name + " loadbalancer IP") + match + " -d " + ip + "/32" + dport + " -j "
              + externalChain);
        }
        if (!hasExternalEndpoints) {
          rule(Table.FILTER, names.externalServices(), comment(externalFilterComment) + match + " -d " + ip + "/32"
              + dport + " -j " + externalFilterTarget);
        }
      }
      // the node port
      if (nodePort != 0) {
        if (hasEndpoints) {
          rule(Table.NAT, names.nodePorts(), comment(name) + match + " --dport " + nodePort + " -j " + externalChain);
        }
        if (!hasExternalEndpoints) {
          rule(Table.FILTER, names.externalServices(), comment(externalFilterComment)
              + "-m addrtype --dst-type LOCAL " + match + " --dport " + nodePort + " -j " + externalFilterTarget);
        }
      }

      // internal traffic from outside the pod network is masqueraded (the reply must come back through this host)
      if (hasInternalEndpoints) {
        rule(Table.NAT, internalChain, comment(name + " cluster IP") + match + " -d " + clusterIp + "/32" + dport
            + " ! -s " + config.podCidr() + " -j " + names.markMasq());
      }
      // external traffic
      if (usesExternalChain) {
        chain(Table.NAT, externalChain);
        if (!externalLocal) {
          rule(Table.NAT, externalChain, comment("masquerade traffic for " + name + " external destinations")
              + "-j " + names.markMasq());
        } else {
          // pods reaching an external address are short-circuited to the cluster policy, as kube-proxy does
          rule(Table.NAT, externalChain, comment("pod traffic for " + name + " external destinations")
              + "-s " + config.podCidr() + " -j " + clusterChain);
          rule(Table.NAT, externalChain, comment("masquerade LOCAL traffic for " + name + " external destinations")
              + "-m addrtype --src-type LOCAL -j " + names.markMasq());
          rule(Table.NAT, externalChain, comment("route LOCAL traffic for " + name + " external destinations")
              + "-m addrtype --src-type LOCAL -j " + clusterChain);
        }
        if (hasExternalEndpoints) {
          rule(Table.NAT, externalChain, comment(name + " external destinations") + "-j " + externalPolicyChain);
        }
      }
      Map<String, String> endpointChains = new HashMap<>();
      for (Backend backend : reachable) {
        endpointChains.put(backend.address(), names.endpointChain(name, protocol, backend.address()));
      }
      if (usesClusterChain) {
        balance(name, clusterChain, clusterEndpoints, stickySeconds, endpointChains);
      }
      if (usesLocalChain) {
        balance(name, localChain, localEndpoints, stickySeconds, endpointChains);
      }
      List<String> endpointIps = new ArrayList<>();
      for (Backend backend : reachable) {
        String endpointChain = endpointChains.get(backend.address());
        List<String> rules = chain(Table.NAT, endpointChain);
        // hairpin: a pod reaching its own service is masqueraded, so that the reply comes back through the host
        rules.add(endpointComment(name) + "-s " + backend.ip() + "/32 -j " + names.markMasq());
        rules.add(endpointComment(name) + (stickySeconds > 0 ? "-m recent --set --name " + endpointChain
            + " --mask 255.255.255.255 --rsource " : "") + match + " -j DNAT --to-destination " + backend.address());
        endpointIps.add(backend.ip());
      }
      Set<String> addresses = new LinkedHashSet<>();
      addresses.add(clusterIp);
      addresses.addAll(externalIps);
      addresses.addAll(loadBalancerIps);
      ports.put(name, new RuleSet.ProxiedPort(name, protocol, List.copyOf(addresses), nodePort, endpointIps));
    }

    /** writeServiceToEndpointRules: affinity first, then 1/n, 1/(n-1)... and the last endpoint unconditionally. */
    private void balance(String name, String chain, List<Backend> endpoints, int stickySeconds,
        Map<String, String> endpointChains) {
      List<String> rules = chain(Table.NAT, chain);
      if (stickySeconds > 0) {
        for (Backend backend : endpoints) {
          String endpointChain = endpointChains.get(backend.address());
          rules.add(endpointComment(name + " -> " + backend.address()) + "-m recent --rcheck --seconds " + stickySeconds
              + " --reap --name " + endpointChain + " --mask 255.255.255.255 --rsource -j " + endpointChain);
        }
      }
      int count = endpoints.size();
      for (int i = 0; i < count; i++) {
        Backend backend = endpoints.get(i);
        String endpointChain = endpointChains.get(backend.address());
        rules.add(endpointComment(name + " -> " + backend.address())
            + (i < count - 1 ? "-m statistic --mode random --probability " + probability(count - i) + " " : "")
            + "-j " + endpointChain);
      }
    }

    /** Ready endpoints, else the serving terminating ones (topology.go's fallback). */
    private static List<Backend> usable(List<Backend> backends) {
      List<Backend> ready = backends.stream().filter(Backend::ready).toList();
      if (!ready.isEmpty()) {
        return ready;
      }
      return backends.stream().filter(b -> b.serving() && b.terminating()).toList();
    }

    /** The load-balancer IPs: the status' ingress IPs (not ipMode Proxy); none yet: the node's addresses. */
    private static List<String> loadBalancerIps(Service service, List<String> nodeIps) {
      if (!"LoadBalancer".equals(service.spec().type())) {
        return List.of();
      }
      List<String> ips = new ArrayList<>();
      for (LoadBalancerIngress ingress : service.status().loadBalancer().ingress()) {
        if (isIpv4(ingress.ip()) && !"Proxy".equals(ingress.ipMode()) && !ips.contains(ingress.ip())) {
          ips.add(ingress.ip());
        }
      }
      return ips.isEmpty() ? nodeIps : ips;
    }

    /** kube-proxy's appendServiceCommentLocked: the comment, but none in large cluster mode. */
    private String endpointComment(String text) {
      return largeCluster ? "" : comment(text);
    }

    private static String comment(String text) {
      return "-m comment --comment \"" + text + "\" ";
    }

    void finish(List<String> nodeIps) {
      List<String> services = chain(Table.NAT, names.services());
      services.addAll(natServices);
      // node ports, last in the chain: on the node's addresses
      for (String ip : nodeIps) {
        services.add(comment("minicluster service nodeports; NOTE: this must be the last rule in this chain")
            + "-d " + ip + "/32 -j " + names.nodePorts());
      }
      if (!config.serviceCidr().isEmpty()) {
        // last in the filter services chain, which sees new connections after nat: a cluster IP translated to an
        // endpoint no longer matches; one of no service (or of no rule yet) is refused here instead of leaving the
        // node by the default route
        rule(Table.FILTER, names.services(), comment("minicluster cluster IPs of no service")
            + "-d " + config.serviceCidr() + " -j REJECT --reject-with icmp-port-unreachable");
      }
      rule(Table.FILTER, names.forward(), comment("minicluster drops INVALID packets (a DNATed reply the kernel"
          + " cannot match would reset the connection)") + "-m conntrack --ctstate INVALID -j DROP");
      rule(Table.FILTER, names.forward(), "-m comment --comment \"minicluster forwarding rules\" -m mark --mark "
          + Chains.MASQ_MARK + "/" + Chains.MASQ_MARK + " -j ACCEPT");
      rule(Table.FILTER, names.forward(), "-m comment --comment \"minicluster forwarding conntrack rule\""
          + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    }

    RuleSet build() {
      return new RuleSet(names, chains, ports);
    }
  }
}
