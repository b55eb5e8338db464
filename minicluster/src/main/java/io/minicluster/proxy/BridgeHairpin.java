package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.Ipv4Cidr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hairpin mode on the ports of the pod network's bridge (kubelet's {@code --hairpin-mode=hairpin-veth}): a pod that
 * reaches its own service is DNATed back to itself, and a bridge sends a frame back out of the port it came in on
 * only in hairpin mode. The proxy's masquerade of such traffic (kube-proxy's {@code -s <endpoint> -j MARK-MASQ})
 * makes the reply come back through the host; this lets the request leave it. Docker leaves hairpin mode off on its
 * bridges' ports, and each new pod brings a new port, so every sync turns it on where it is off.
 */
public final class BridgeHairpin {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeHairpin.class);

  private final Path sysClassNet;
  private final Ipv4Cidr podCidr;
  private final Function<String, List<String>> addresses;
  private boolean warned;

  /**
   * @param sysClassNet where the kernel lists network interfaces ({@code /sys/class/net})
   * @param podCidr the pod network: a bridge holding an address in it is the pods' bridge
   * @param addresses the IPv4 addresses of an interface by name
   */
  BridgeHairpin(Path sysClassNet, String podCidr, Function<String, List<String>> addresses) {
    this.sysClassNet = requireNonNull(sysClassNet, "sysClassNet is null");
    this.podCidr = Ipv4Cidr.parse(requireNonNull(podCidr, "podCidr is null"));
    this.addresses = requireNonNull(addresses, "addresses is null");
  }

  /** On this host's bridges. */
  public static BridgeHairpin onHost(String podCidr) {
    return new BridgeHairpin(Path.of("/sys/class/net"), podCidr, BridgeHairpin::interfaceAddresses);
  }

  /** Turns hairpin mode on for every port of the pod bridges where it is off; returns the ports changed. */
  List<String> enable() {
    List<String> changed = new ArrayList<>();
    try (DirectoryStream<Path> interfaces = Files.newDirectoryStream(sysClassNet)) {
      for (Path bridge : interfaces) {
        String name = bridge.getFileName().toString();
        if (!Files.isDirectory(bridge.resolve("brif"))
            || addresses.apply(name).stream().noneMatch(podCidr::contains)) {
          continue;
        }
        try (DirectoryStream<Path> ports = Files.newDirectoryStream(bridge.resolve("brif"))) {
          for (Path port : ports) {
            Path mode = port.resolve("hairpin_mode");
            if (Files.exists(mode) && !Files.readString(mode).strip().equals("1")) {
              Files.writeString(mode, "1");
              changed.add(name + "/" + port.getFileName());
            }
          }
        }
      }
    } catch (IOException e) {
      if (!warned) {
        warned = true;
        LOG.warn("cannot turn on hairpin mode on the pod bridge's ports ({}): a pod reaching its own service through "
            + "it may get no answer", e.toString());
      }
    }
    return changed;
  }

  private static List<String> interfaceAddresses(String name) {
    try {
      NetworkInterface network = NetworkInterface.getByName(name);
      if (network == null) {
        return List.of();
      }
      return network.getInterfaceAddresses().stream().map(InterfaceAddress::getAddress)
          .filter(Inet4Address.class::isInstance).map(address -> address.getHostAddress()).toList();
    } catch (SocketException e) {
      return List.of();
    }
  }
}
