package io.minicluster.agent.runtime;

import static io.minicluster.agent.runtime.EngineClient.failure;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pod network of {@link DockerRuntime}: one bridge network, {@link DockerRuntimeConfig#networkName()}. */
final class DockerNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(DockerNetwork.class);

  private final DockerRuntimeConfig config;
  private final DockerClient client;

  DockerNetwork(EngineClient engine) {
    this.config = engine.config();
    this.client = engine.client();
  }

  /** See {@link ContainerRuntime#ensureNetwork}. */
  void ensureNetwork(String cidr) {
    Ipv4Cidr subnet = Ipv4Cidr.parse(cidr);
    String name = config.networkName();
    try {
      Optional<Network> existing = findNetwork(name);
      if (existing.isPresent()) {
        List<String> subnets = subnets(existing.get());
        if (subnets.contains(subnet.toString())) {
          LOG.debug("pod network {} exists with subnet {}", name, subnet);
          return;
        }
        Network inspected = client.inspectNetworkCmd().withNetworkId(existing.get().getId()).exec();
        if (inspected.getContainers() != null && !inspected.getContainers().isEmpty()) {
          throw new ContainerRuntimeException("network " + name + " has subnet(s) " + subnets + ", not " + subnet
              + ", and containers still use it; remove them or configure the pod CIDR " + subnets);
        }
        LOG.info("recreating pod network {}: subnet {} instead of {}", name, subnet, subnets);
        client.removeNetworkCmd(existing.get().getId()).exec();
      }
      try {
        client.createNetworkCmd()
            .withName(name)
            .withDriver("bridge")
            .withCheckDuplicate(true)
            .withLabels(Map.of(RuntimeLabels.PREFIX + "network", "pods"))
            .withIpam(new Network.Ipam().withConfig(
                new Network.Ipam.Config().withSubnet(subnet.toString()).withGateway(subnet.gateway())))
            .exec();
        LOG.info("created pod network {} with subnet {}", name, subnet);
      } catch (ConflictException raced) {
        Optional<Network> created = findNetwork(name);
        if (created.isEmpty() || !subnets(created.get()).contains(subnet.toString())) {
          throw raced;
        }
      }
    } catch (ContainerRuntimeException exception) {
      throw exception;
    } catch (RuntimeException exception) {
      throw failure("ensuring network " + name + " with subnet " + subnet, exception);
    }
  }

  private Optional<Network> findNetwork(String name) {
    return client.listNetworksCmd().withNameFilter(name).exec().stream()
        .filter(network -> name.equals(network.getName()))
        .findFirst();
  }

  private static List<String> subnets(Network network) {
    List<String> subnets = new ArrayList<>();
    if (network.getIpam() != null && network.getIpam().getConfig() != null) {
      for (Network.Ipam.Config ipamConfig : network.getIpam().getConfig()) {
        if (ipamConfig.getSubnet() != null) {
          subnets.add(ipamConfig.getSubnet());
        }
      }
    }
    return subnets;
  }
}
