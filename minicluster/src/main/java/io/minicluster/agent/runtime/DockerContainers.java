package io.minicluster.agent.runtime;

import static io.minicluster.agent.runtime.EngineClient.failure;
import static io.minicluster.agent.runtime.EngineClient.nullToEmpty;
import static io.minicluster.agent.runtime.EngineClient.parseTime;
import static io.minicluster.agent.runtime.EngineClient.stripSlash;
import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.minicluster.agent.oom.OomKill;
import io.minicluster.agent.oom.OomWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandboxes and containers of {@link DockerRuntime}: their engine create options, lifecycle and inspection.
 *
 * <p>Sandboxes run the pause image on the bridge network {@link DockerRuntimeConfig#networkName()} with IPC mode
 * "shareable"; application containers use network, IPC (and optionally PID) mode {@code container:<sandboxId>}, so all
 * containers of a pod share localhost and the pod IP.
 */
final class DockerContainers {
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainers.class);
  /** Exit status of a main process killed by SIGKILL (128 + 9), as the OOM killer does. */
  private static final int SIGKILL_EXIT_CODE = 137;
  /** Longest wait, once per container, for the kernel log reader to report an OOM kill behind a SIGKILL exit. */
  private static final Duration OOM_REPORT_WAIT = Duration.ofMillis(250);
  private static final LogConfig LOG_CONFIG =
      new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m", "max-file", "2"));

  private final DockerRuntimeConfig config;
  private final DockerClient client;
  private final DockerImages images;
  private final OomWatcher oomWatcher;

  /** @param oomWatcher the kernel's word on OOM kills, added to the engine's (which can miss them) */
  DockerContainers(EngineClient engine, DockerImages images, OomWatcher oomWatcher) {
    this.config = engine.config();
    this.client = engine.client();
    this.images = requireNonNull(images, "images is null");
    this.oomWatcher = requireNonNull(oomWatcher, "oomWatcher is null");
  }

  // ---------------------------------------------------------------- sandboxes

  SandboxInfo runSandbox(SandboxSpec spec) {
    requireNonNull(spec, "spec is null");
    String image = images.sandboxImage();
    HostConfig hostConfig = HostConfig.newHostConfig()
        .withNetworkMode(spec.hostNetwork() ? "host" : config.networkName())
        .withIpcMode(spec.hostIpc() ? "host" : "shareable")
        .withRestartPolicy(RestartPolicy.noRestart())
        .withLogConfig(LOG_CONFIG);
    if (!spec.dnsServers().isEmpty()) {
      hostConfig.withDns(spec.dnsServers());
    }
    if (!spec.dnsSearches().isEmpty()) {
      hostConfig.withDnsSearch(spec.dnsSearches());
    }
    if (!spec.dnsOptions().isEmpty()) {
      hostConfig.withDnsOptions(spec.dnsOptions());
    }
    if (!spec.extraHosts().isEmpty()) {
      hostConfig.withExtraHosts(spec.extraHosts().toArray(new String[0]));
    }
    if (spec.shmSizeBytes() > 0) {
      hostConfig.withShmSize(spec.shmSizeBytes());
    }
    List<ExposedPort> exposedPorts = new ArrayList<>();
    if (!spec.hostNetwork() && !spec.portMappings().isEmpty()) {
      Ports ports = new Ports();
      for (PortMapping mapping : spec.portMappings()) {
        ExposedPort exposed = new ExposedPort(mapping.containerPort(),
            InternetProtocol.parse(mapping.protocol().toLowerCase(Locale.ROOT)));
        exposedPorts.add(exposed);
        ports.bind(exposed, mapping.hostIp().isEmpty()
            ? Ports.Binding.bindPort(mapping.hostPort())
            : Ports.Binding.bindIpAndPort(mapping.hostIp(), mapping.hostPort()));
      }
      hostConfig.withPortBindings(ports);
    }
    String name = RuntimeLabels.sandboxName(spec);
    String id = createWithNameRetry(name, () -> {
      CreateContainerCmd command = client.createContainerCmd(image)
          .withName(name)
          .withLabels(RuntimeLabels.forSandbox(spec))
          .withHostConfig(hostConfig);
      if (!exposedPorts.isEmpty()) {
        command.withExposedPorts(exposedPorts);
      }
      if (!spec.hostNetwork()) {
        command.withHostName(spec.effectiveHostname());
        if (!spec.ipAddress().isEmpty()) {
          command.withIpv4Address(spec.ipAddress());
        }
      }
      return command.exec().getId();
    });
    try {
      client.startContainerCmd(id).exec();
    } catch (RuntimeException exception) {
      removeContainer(id);
      throw failure("starting sandbox " + name, exception);
    }
    writeResolvConf(id);
    String ipAddress = "";
    if (!spec.hostNetwork()) {
      ipAddress = inspect(id).map(ContainerStatus::ipAddress).orElse("");
      if (ipAddress.isEmpty()) {
        removeContainer(id);
        throw new ContainerRuntimeException("sandbox " + name + " got no IP address on network "
            + config.networkName());
      }
    }
    LOG.debug("sandbox {} started: {} ip {}", name, id, ipAddress);
    return new SandboxInfo(id, ipAddress);
  }

  /**
   * Writes the pod's resolv.conf over the one the engine made for the sandbox, which every container of the pod shares
   * (a container in the sandbox's network namespace gets the sandbox's resolv.conf, hosts and hostname files): on a
   * user-defined network the engine lists its embedded resolver (127.0.0.11) there, whatever nameservers it was
   * given, where pods must see the cluster DNS as in Kubernetes (dockershim rewrote the file the same way). The engine
   * writes its own again at every start, so this runs after every start, with the text kept in the sandbox's label
   * {@link RuntimeLabels#RESOLV_CONF}. Where the file cannot be written (an engine on another machine), the pod keeps
   * the engine's resolver, which forwards to the same nameservers.
   */
  private void writeResolvConf(String id) {
    String path = null;
    try {
      InspectContainerResponse inspected = client.inspectContainerCmd(id).exec();
      String text = inspected.getConfig() == null || inspected.getConfig().getLabels() == null ? null
          : inspected.getConfig().getLabels().get(RuntimeLabels.RESOLV_CONF);
      if (text == null) {
        return;
      }
      path = inspected.getResolvConfPath();
      if (path == null || path.isEmpty()) {
        throw new IOException("the engine names no resolv.conf");
      }
      Files.writeString(Path.of(path), text);
    } catch (IOException | RuntimeException exception) {
      LOG.warn("sandbox {}: cannot write its resolv.conf {} ({}); the pod uses the engine's resolver, which "
          + "forwards to the pod's nameservers", id, path, exception.getMessage());
    }
  }

  /**
   * Starts a stopped sandbox again. The engine gives a container on a user-defined network the first free address when
   * it starts, so after an engine restart the sandboxes would swap addresses in the order they come back; connected
   * again with {@code preferredIp} (as {@code docker network connect --ip} does) it asks for that one. When the address
   * is taken meanwhile, the sandbox is connected without one and starts with the address it gets.
   */
  SandboxInfo startSandbox(String sandboxId, String preferredIp) {
    requireNonNull(sandboxId, "sandboxId is null");
    requireNonNull(preferredIp, "preferredIp is null");
    if (!preferredIp.isEmpty()) {
      reconnect(sandboxId, preferredIp);
    }
    try {
      startContainer(sandboxId);
    } catch (ContainerRuntimeException exception) {
      if (preferredIp.isEmpty()) {
        throw exception;
      }
      LOG.info("sandbox {} cannot have its address {} again ({}); it takes another", sandboxId, preferredIp,
          exception.getMessage());
      reconnect(sandboxId, "");
      startContainer(sandboxId);
    }
    writeResolvConf(sandboxId);
    String ipAddress = inspect(sandboxId).map(ContainerStatus::ipAddress).orElse("");
    LOG.debug("sandbox {} started again: ip {}", sandboxId, ipAddress);
    return new SandboxInfo(sandboxId, ipAddress);
  }

  /** Connects a stopped container to the pod network again, asking for {@code ipAddress} (empty: any address). */
  private void reconnect(String containerId, String ipAddress) {
    try {
      client.disconnectFromNetworkCmd().withNetworkId(config.networkName()).withContainerId(containerId)
          .withForce(true).exec();
    } catch (NotFoundException notConnected) {
      LOG.debug("container {} not on network {}: {}", containerId, config.networkName(), notConnected.getMessage());
    } catch (RuntimeException exception) {
      throw failure("disconnecting sandbox " + containerId + " from " + config.networkName(), exception);
    }
    ContainerNetwork endpoint = new ContainerNetwork();
    if (!ipAddress.isEmpty()) {
      endpoint.withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(ipAddress));
    }
    try {
      client.connectToNetworkCmd().withNetworkId(config.networkName()).withContainerId(containerId)
          .withContainerNetwork(endpoint).exec();
    } catch (RuntimeException exception) {
      throw failure("connecting sandbox " + containerId + " to " + config.networkName(), exception);
    }
  }

  void stopSandbox(String sandboxId) {
    killContainer(sandboxId);
  }

  // ---------------------------------------------------------------- containers

  String createContainer(ContainerSpec spec) {
    requireNonNull(spec, "spec is null");
    String sandboxMode = "container:" + spec.sandboxId();
    ResourceSpec resources = spec.resources();
    SecuritySpec security = spec.security();
    HostConfig hostConfig = HostConfig.newHostConfig()
        .withNetworkMode(sandboxMode)
        .withIpcMode(sandboxMode)
        .withRestartPolicy(RestartPolicy.noRestart())
        .withLogConfig(LOG_CONFIG)
        .withCpuShares((int) resources.cpuShares())
        .withOomKillDisable(false)
        .withPrivileged(security.privileged())
        .withReadonlyRootfs(security.readOnlyRootFilesystem());
    if (spec.hostPid()) {
      hostConfig.withPidMode("host");
    } else if (spec.shareProcessNamespace()) {
      hostConfig.withPidMode(sandboxMode);
    }
    if (resources.cpuQuota() > 0) {
      hostConfig.withCpuPeriod(ResourceSpec.CPU_PERIOD_MICROS).withCpuQuota(resources.cpuQuota());
    }
    if (resources.memoryLimitBytes() > 0) {
      hostConfig.withMemory(resources.memoryLimitBytes()).withMemorySwap(resources.memoryLimitBytes());
    }
    if (!security.capabilitiesAdded().isEmpty()) {
      hostConfig.withCapAdd(capabilities(security.capabilitiesAdded()));
    }
    if (!security.capabilitiesDropped().isEmpty()) {
      hostConfig.withCapDrop(capabilities(security.capabilitiesDropped()));
    }
    if (!security.supplementalGroups().isEmpty()) {
      hostConfig.withGroupAdd(security.supplementalGroups().stream().map(String::valueOf).toList());
    }
    List<Bind> binds = new ArrayList<>();
    Map<String, String> tmpfs = new LinkedHashMap<>();
    for (MountSpec mount : spec.mounts()) {
      if (mount.kind() == MountSpec.Kind.BIND) {
        binds.add(new Bind(mount.source(), new Volume(mount.target()),
            mount.readOnly() ? AccessMode.ro
                : AccessMode.rw));
      } else {
        tmpfs.put(mount.target(), tmpfsOptions(mount));
      }
    }
    if (!binds.isEmpty()) {
      hostConfig.withBinds(binds);
    }
    if (!tmpfs.isEmpty()) {
      hostConfig.withTmpFs(tmpfs);
    }
    List<String> environment = new ArrayList<>();
    spec.env().forEach((key, value) -> environment.add(key + "=" + value));
    String image = ImageReference.parse(spec.image()).familiar();
    String name = RuntimeLabels.containerName(spec);
    return createWithNameRetry(name, () -> {
      CreateContainerCmd command = client.createContainerCmd(image)
          .withName(name)
          .withLabels(RuntimeLabels.forContainer(spec))
          .withHostConfig(hostConfig)
          .withEnv(environment)
          .withTty(spec.tty())
          .withStdinOpen(spec.stdin())
          .withStdInOnce(spec.stdinOnce())
          .withAttachStdin(spec.stdin());
      if (!spec.command().isEmpty()) {
        command.withEntrypoint(spec.command());
      }
      if (!spec.args().isEmpty()) {
        command.withCmd(spec.args());
      }
      if (!spec.workingDir().isEmpty()) {
        command.withWorkingDir(spec.workingDir());
      }
      if (!security.user().isEmpty()) {
        command.withUser(security.user());
      }
      return command.exec().getId();
    });
  }

  static String tmpfsOptions(MountSpec mount) {
    List<String> options = new ArrayList<>();
    options.add(mount.readOnly() ? "ro" : "rw");
    if (mount.tmpfsSizeBytes() > 0) {
      options.add("size=" + mount.tmpfsSizeBytes());
    }
    return String.join(",", options);
  }

  static Capability[] capabilities(List<String> names) {
    List<Capability> capabilities = new ArrayList<>();
    for (String name : names) {
      String normalized = name.toUpperCase(Locale.ROOT);
      if (normalized.startsWith("CAP_")) {
        normalized = normalized.substring("CAP_".length());
      }
      try {
        capabilities.add(Capability.valueOf(normalized));
      } catch (IllegalArgumentException unknown) {
        throw new ContainerRuntimeException("unknown capability " + name);
      }
    }
    return capabilities.toArray(new Capability[0]);
  }

  /** Creates a container; if the name is taken by a leftover minicluster container, removes it and retries once. */
  private String createWithNameRetry(String name, Supplier<String> create) {
    try {
      return create.get();
    } catch (ConflictException conflict) {
      Optional<ContainerStatus> existing = inspect(name);
      if (existing.isEmpty() || !existing.get().labels().containsKey(RuntimeLabels.TYPE)) {
        throw failure("creating container " + name, conflict);
      }
      LOG.info("removing leftover container {} ({}) to reuse its name", name, existing.get().id());
      removeContainer(existing.get().id());
      try {
        return create.get();
      } catch (RuntimeException exception) {
        throw failure("creating container " + name, exception);
      }
    } catch (RuntimeException exception) {
      throw failure("creating container " + name, exception);
    }
  }

  void startContainer(String containerId) {
    requireNonNull(containerId, "containerId is null");
    try {
      client.startContainerCmd(containerId).exec();
    } catch (NotModifiedException alreadyRunning) {
      LOG.debug("container {} already running", containerId);
    } catch (RuntimeException exception) {
      throw failure("starting container " + containerId, exception);
    }
  }

  void stopContainer(String containerId, long gracePeriodSeconds) {
    requireNonNull(containerId, "containerId is null");
    int timeout = (int) Math.max(0, Math.min(Integer.MAX_VALUE, gracePeriodSeconds));
    try {
      client.stopContainerCmd(containerId).withTimeout(timeout).exec();
    } catch (NotModifiedException | NotFoundException notRunning) {
      LOG.debug("container {} not running: {}", containerId, notRunning.getMessage());
    } catch (RuntimeException exception) {
      throw failure("stopping container " + containerId, exception);
    }
  }

  void killContainer(String containerId) {
    requireNonNull(containerId, "containerId is null");
    try {
      client.killContainerCmd(containerId).withSignal("KILL").exec();
    } catch (NotFoundException | ConflictException notRunning) {
      LOG.debug("container {} not running: {}", containerId, notRunning.getMessage());
    } catch (RuntimeException exception) {
      throw failure("killing container " + containerId, exception);
    }
  }

  void removeContainer(String containerId) {
    requireNonNull(containerId, "containerId is null");
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      LOG.debug("container {} already removed", containerId);
    } catch (ConflictException inProgress) {
      LOG.debug("container {} removal already in progress", containerId);
    } catch (RuntimeException exception) {
      throw failure("removing container " + containerId, exception);
    }
  }

  List<ContainerSummary> listContainers(Map<String, String> labelFilter) {
    requireNonNull(labelFilter, "labelFilter is null");
    List<String> filters = new ArrayList<>();
    filters.add(RuntimeLabels.TYPE);
    labelFilter.forEach((key, value) -> filters.add(key + "=" + value));
    try {
      List<Container> containers = client.listContainersCmd().withShowAll(true).withLabelFilter(filters).exec();
      List<ContainerSummary> summaries = new ArrayList<>(containers.size());
      for (Container container : containers) {
        String name = container.getNames() == null || container.getNames().length == 0 ? ""
            : stripSlash(container.getNames()[0]);
        summaries.add(new ContainerSummary(
            container.getId(),
            name,
            ContainerState.fromEngine(container.getState()),
            nullToEmpty(container.getImage()),
            nullToEmpty(container.getImageId()),
            Instant.ofEpochSecond(container.getCreated() == null ? 0 : container.getCreated()),
            container.getLabels() == null ? Map.of() : container.getLabels()));
      }
      return summaries;
    } catch (RuntimeException exception) {
      throw failure("listing containers", exception);
    }
  }

  Optional<ContainerStatus> inspect(String containerId) {
    requireNonNull(containerId, "containerId is null");
    InspectContainerResponse response;
    try {
      response = client.inspectContainerCmd(containerId).exec();
    } catch (NotFoundException gone) {
      return Optional.empty();
    } catch (RuntimeException exception) {
      throw failure("inspecting container " + containerId, exception);
    }
    InspectContainerResponse.ContainerState state = response.getState();
    Map<String, String> labels = response.getConfig() == null || response.getConfig().getLabels() == null
        ? Map.of() : response.getConfig().getLabels();
    String ipAddress = "";
    if (response.getNetworkSettings() != null && response.getNetworkSettings().getNetworks() != null) {
      ContainerNetwork network = response.getNetworkSettings().getNetworks().get(config.networkName());
      if (network != null && network.getIpAddress() != null) {
        ipAddress = network.getIpAddress();
      }
    }
    ContainerState containerState = ContainerState.fromEngine(state == null ? null : state.getStatus());
    long pid = state == null || state.getPidLong() == null ? 0 : state.getPidLong();
    if (containerState == ContainerState.RUNNING) {
      oomWatcher.sampleRunning(response.getId(), pid);
    }
    int exitCode = state == null || state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue();
    // the engine's flag where it works, else the kernel's report (some engines miss kills, e.g. of a child process)
    boolean oomKilled = state != null && Boolean.TRUE.equals(state.getOOMKilled())
        || kernelReportedOomKill(response.getId(), containerState, exitCode);
    return Optional.of(new ContainerStatus(
        response.getId(),
        stripSlash(nullToEmpty(response.getName())),
        containerState,
        exitCode,
        oomKilled,
        Optional.ofNullable(parseTime(response.getCreated())).orElse(Instant.EPOCH),
        state == null ? null : parseTime(state.getStartedAt()),
        state == null ? null : parseTime(state.getFinishedAt()),
        state == null ? "" : nullToEmpty(state.getError()),
        RuntimeLabels.restartCount(labels),
        response.getConfig() == null ? "" : nullToEmpty(response.getConfig().getImage()),
        nullToEmpty(response.getImageId()),
        ipAddress,
        pid,
        labels));
  }

  /** Whether the kernel OOM-killed a process of the container; for a SIGKILL exit, waits for a late report once. */
  private boolean kernelReportedOomKill(String containerId, ContainerState state, int exitCode) {
    Optional<OomKill> kill = state == ContainerState.EXITED && exitCode == SIGKILL_EXIT_CODE
        ? oomWatcher.awaitKilled(containerId, OOM_REPORT_WAIT) : oomWatcher.killed(containerId);
    return kill.isPresent();
  }
}
