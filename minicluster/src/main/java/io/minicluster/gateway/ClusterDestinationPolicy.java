package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.DestinationPolicy;
import io.minicluster.socks.policy.DestinationRequest;
import io.minicluster.socks.policy.PolicyDecision;
import io.minicluster.socks.policy.RefusalReason;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the embedded SOCKS gateway may reach: pods (addresses of existing pods), services (mapped to their ready
 * endpoints, never dialled as virtual IPs; the {@code kubernetes} service to the API server), and NodePorts on the
 * node's own
 * addresses — nothing else (not loopback, not the host's other ports, not the outside world), plus any extra CIDRs
 * the operator allowed.
 */
public final class ClusterDestinationPolicy implements DestinationPolicy {
  private final Cidr podCidr;
  private final Cidr serviceCidr;
  private final NodePortRange nodePorts;
  private final Supplier<List<InetAddress>> nodeAddresses;
  private final List<Cidr> extra;
  private final ServiceBackends backends;
  private final Predicate<String> podIpInUse;

  /** @param nodePorts the API server's NodePort range, reachable on {@code nodeAddresses} */
  public ClusterDestinationPolicy(String podCidr, String serviceCidr, NodePortRange nodePorts,
      Supplier<List<InetAddress>> nodeAddresses, List<String> extraAllowed, ServiceBackends backends,
      Predicate<String> podIpInUse) {
    this.backends = requireNonNull(backends, "backends is null");
    this.podIpInUse = requireNonNull(podIpInUse, "podIpInUse is null");
    this.podCidr = Cidr.parse(requireNonNull(podCidr, "podCidr is null"));
    this.serviceCidr = Cidr.parse(requireNonNull(serviceCidr, "serviceCidr is null"));
    this.nodePorts = requireNonNull(nodePorts, "nodePorts is null");
    this.nodeAddresses = requireNonNull(nodeAddresses, "nodeAddresses is null");
    List<Cidr> parsed = new ArrayList<>();
    for (String cidr : extraAllowed) {
      parsed.add(Cidr.parse(cidr));
    }
    this.extra = List.copyOf(parsed);
  }

  @Override
  public PolicyDecision evaluate(DestinationRequest request) {
    InetAddress address = request.address();
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      if (!inExtra(address)) {
        return PolicyDecision.deny(address.getHostAddress() + " is not a cluster address");
      }
      return PolicyDecision.allow();
    }
    if (serviceCidr.contains(address)) {
      // a virtual address: connect to one of the service's ready endpoints, never to the virtual IP itself
      // (all of them: the gateway balances connections over them)
      ServiceBackends.Lookup lookup = backends.backends(address.getHostAddress(), request.port());
      if (!lookup.backends().isEmpty()) {
        return PolicyDecision.allowVia(lookup.backends(), "service " + address.getHostAddress());
      }
      return PolicyDecision.refuse(RefusalReason.CONNECTION_REFUSED, lookup.serviceFound()
          ? "service " + address.getHostAddress() + ":" + request.port() + " has no ready endpoints"
          : "no service at " + address.getHostAddress() + ":" + request.port());
    }
    if (podCidr.contains(address)) {
      // only addresses of existing pods: others may not be routed to the pod network at all
      if (podIpInUse.test(address.getHostAddress())) {
        return PolicyDecision.allow();
      }
      return PolicyDecision.refuse(RefusalReason.HOST_UNREACHABLE, "no pod has the address "
          + address.getHostAddress());
    }
    int port = request.port();
    if (nodePorts.contains(port) && nodeAddresses.get().contains(address)) {
      return PolicyDecision.allow();
    }
    if (inExtra(address)) {
      return PolicyDecision.allow();
    }
    return PolicyDecision.deny(address.getHostAddress() + ":" + port + " is outside the cluster networks");
  }

  private boolean inExtra(InetAddress address) {
    for (Cidr cidr : extra) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("pods: " + podCidr);
    lines.add("services: " + serviceCidr);
    lines.add("NodePorts " + nodePorts + " on the node's addresses");
    for (Cidr cidr : extra) {
      lines.add("also allowed: " + cidr);
    }
    return lines;
  }
}
