package io.minicluster.service;

import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.minicluster.agent.runtime.DockerRuntimeConfig;
import io.minicluster.agent.runtime.RuntimeLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Docker engine as the CLI needs it: whether it answers and its version (status), and the containers and network
 * of one installation (uninstall). The node agent's own client is {@link io.minicluster.agent.runtime.DockerRuntime}.
 */
public final class DockerEngine implements AutoCloseable {
  /** Label the node agent puts on the pod network it creates. */
  static final String NETWORK_LABEL = RuntimeLabels.PREFIX + "network";

  /** A minicluster container: id, labels, and the networks it is attached to. */
  public record ContainerInfo(String id, String name, Map<String, String> labels, Set<String> networks) {
    public ContainerInfo {
      requireNonNull(id, "id is null");
      labels = Map.copyOf(labels);
      networks = Set.copyOf(networks);
    }
  }

  private final String host;
  private final DockerClient client;

  private DockerEngine(String host, DockerClient client) {
    this.host = host;
    this.client = client;
  }

  /** A client for {@code DOCKER_HOST} in {@code environment}, else the default socket. Does not contact the engine. */
  public static DockerEngine connect(Map<String, String> environment) {
    String host = DockerRuntimeConfig.defaults(environment).dockerHost();
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig()).connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(60)).build();
    return new DockerEngine(host, DockerClientImpl.getInstance(config, http));
  }

  /** The engine's address, e.g. {@code unix:///var/run/docker.sock}. */
  public String host() {
    return host;
  }

  /** The engine's version, or empty when it does not answer. */
  public Optional<String> version() {
    try {
      return Optional.ofNullable(client.versionCmd().exec().getVersion());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a Docker engine may exist on this host: false only when the engine's Unix socket is absent and neither
   * {@code dockerd} nor {@code docker} is on the PATH (then there can be no containers to look after).
   */
  public boolean present(Map<String, String> environment) {
    if (!host.startsWith("unix://") || Files.exists(Path.of(host.substring(7)))) {
      return true;
    }
    for (String directory : environment.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      for (String name : List.of("dockerd", "docker")) {
        if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The one-line message for an engine that does not answer, with the fix. */
  public String notAnswering() {
    return "the Docker engine does not answer at " + host + ": start it with `systemctl start docker` (or `service "
        + "docker start`)";
  }

  /** Every container carrying minicluster's type label, in any state. */
  public List<ContainerInfo> miniclusterContainers() {
    List<ContainerInfo> containers = new ArrayList<>();
    for (Container container : client.listContainersCmd().withShowAll(true)
        .withLabelFilter(List.of(RuntimeLabels.TYPE)).exec()) {
      Set<String> networks = new HashSet<>();
      if (container.getNetworkSettings() != null && container.getNetworkSettings().getNetworks() != null) {
        networks.addAll(container.getNetworkSettings().getNetworks().keySet());
      }
      String name = container.getNames() == null || container.getNames().length == 0 ? ""
          : container.getNames()[0].replaceFirst("^/", "");
      containers.add(new ContainerInfo(container.getId(), name,
          container.getLabels() == null ? Map.of() : container.getLabels(), networks));
    }
    return containers;
  }

  /**
   * The containers of the installation whose pods use {@code network} and whose agent keeps pod directories for
   * {@code ownPodUids}. On the default network that is every minicluster container (one installation per engine);
   * on another network (a second installation, or a test's) it is the sandboxes attached to that network, the
   * containers in those sandboxes, and the containers of pods the installation's agent knows.
   */
  public static List<ContainerInfo> installation(List<ContainerInfo> all, String network, Set<String> ownPodUids) {
    if (network.equals(DockerRuntimeConfig.DEFAULT_NETWORK)) {
      return List.copyOf(all);
    }
    Set<String> sandboxes = new HashSet<>();
    for (ContainerInfo container : all) {
      if (RuntimeLabels.TYPE_SANDBOX.equals(container.labels().get(RuntimeLabels.TYPE))
          && container.networks().contains(network)) {
        sandboxes.add(container.id());
      }
    }
    List<ContainerInfo> selected = new ArrayList<>();
    for (ContainerInfo container : all) {
      String sandbox = container.labels().getOrDefault(RuntimeLabels.SANDBOX_ID, "");
      String podUid = container.labels().getOrDefault(RuntimeLabels.POD_UID, "");
      if (sandboxes.contains(container.id()) || sandboxes.contains(sandbox)
          || (!podUid.isEmpty() && ownPodUids.contains(podUid))) {
        selected.add(container);
      }
    }
    return selected;
  }

  /** Removes a container with its anonymous volumes, whatever its state. */
  public void removeContainer(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // removed meanwhile
    }
  }

  /**
   * Removes the pod network {@code name} when it is minicluster's (it carries the label the agent sets). Returns
   * false when there is no such network; IOException when it is not minicluster's or still in use.
   */
  public boolean removeNetwork(String name) throws IOException {
    Optional<Network> network = client.listNetworksCmd().withNameFilter(name).exec().stream()
        .filter(candidate -> name.equals(candidate.getName())).findFirst();
    if (network.isEmpty()) {
      return false;
    }
    Map<String, String> labels = network.get().getLabels() == null ? Map.of() : network.get().getLabels();
    if (!labels.containsKey(NETWORK_LABEL)) {
      throw new IOException("the Docker network " + name + " was not created by minicluster (no " + NETWORK_LABEL
          + " label): left alone");
    }
    try {
      client.removeNetworkCmd(network.get().getId()).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    } catch (RuntimeException e) {
      throw new IOException("cannot remove the Docker network " + name + ": " + e.getMessage()
          + " (other containers still use it?)", e);
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
