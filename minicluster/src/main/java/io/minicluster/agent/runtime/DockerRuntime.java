package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.minicluster.agent.oom.OomKill;
import io.minicluster.agent.oom.OomWatcher;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on a Docker engine through docker-java (httpclient5 transport), except the exec and attach
 * streams, which use connections of their own ({@link HijackedConnection}) so that closing stdin reaches the process.
 *
 * <p>Sandboxes run the pause image on the bridge network {@link DockerRuntimeConfig#networkName()} with IPC mode
 * "shareable"; application containers use network, IPC (and optionally PID) mode {@code container:<sandboxId>}, so all
 * containers of a pod share localhost and the pod IP.
 */
public final class DockerRuntime implements ContainerRuntime, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration EVENT_RECONNECT_DELAY = Duration.ofSeconds(1);
  /** Longest wait for the engine to answer an exec start or attach request. */
  private static final Duration STREAM_ANSWER_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(5);
  /** Exit status of a main process killed by SIGKILL (128 + 9), as the OOM killer does. */
  private static final int SIGKILL_EXIT_CODE = 137;
  /** Longest wait, once per container, for the kernel log reader to report an OOM kill behind a SIGKILL exit. */
  private static final Duration OOM_REPORT_WAIT = Duration.ofMillis(250);
  private static final Duration ATTACH_EXIT_WAIT = Duration.ofSeconds(1);
  private static final String UNSET_TIME = "0001-01-01T00:00:00Z";
  private static final LogConfig LOG_CONFIG =
      new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m", "max-file", "2"));
  private static final List<String> EVENT_ACTIONS = List.of("create", "start", "die", "oom", "destroy");
  private static final List<String> NON_LABEL_ATTRIBUTES = List.of("image", "name", "exitCode", "signal");

  private final DockerRuntimeConfig config;
  private final DockerClient client;
  private final OomWatcher oomWatcher;
  private final ScheduledExecutorService scheduler;
  /** Whether the engine is reached over TLS (then exec/attach streams are unsupported on TCP). */
  private final boolean tls;
  private volatile String resolvedSandboxImage;

  private DockerRuntime(DockerRuntimeConfig config, DockerClient client, OomWatcher oomWatcher, boolean tls) {
    this.config = config;
    this.client = client;
    this.oomWatcher = oomWatcher;
    this.tls = tls;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "docker-runtime-scheduler");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * A runtime talking to {@code config.dockerHost()}: connections time out after 5 s, responses never (streams such as
   * logs, events and exec stay open as long as they need). Does not contact the engine yet.
   *
   * @param oomWatcher the kernel's word on OOM kills, added to the engine's (which can miss them)
   */
  public static DockerRuntime connect(DockerRuntimeConfig config, OomWatcher oomWatcher) {
    requireNonNull(config, "config is null");
    requireNonNull(oomWatcher, "oomWatcher is null");
    DockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(config.dockerHost())
        .build();
    ApacheDockerHttpClient httpClient = new ApacheDockerHttpClient.Builder()
        .dockerHost(clientConfig.getDockerHost())
        .sslConfig(clientConfig.getSSLConfig())
        .maxConnections(200)
        .connectionTimeout(CONNECT_TIMEOUT)
        .build();
    return new DockerRuntime(config, DockerClientImpl.getInstance(clientConfig, httpClient), oomWatcher,
        clientConfig.getSSLConfig() != null);
  }

  public DockerRuntimeConfig config() {
    return config;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      client.close();
    } catch (IOException exception) {
      LOG.debug("closing docker client failed", exception);
    }
  }

  // ---------------------------------------------------------------- engine

  @Override
  public EngineInfo info() {
    try {
      Info info = client.infoCmd().exec();
      String apiVersion = client.versionCmd().exec().getApiVersion();
      return new EngineInfo(
          nullToEmpty(info.getServerVersion()),
          nullToEmpty(apiVersion),
          info.getNCPU() == null ? 0 : info.getNCPU(),
          info.getMemTotal() == null ? 0 : info.getMemTotal(),
          nullToEmpty(info.getKernelVersion()),
          nullToEmpty(info.getOperatingSystem()),
          nullToEmpty(info.getOsType()),
          nullToEmpty(info.getArchitecture()),
          nullToEmpty(info.getName()),
          nullToEmpty(info.getDockerRootDir()));
    } catch (RuntimeException exception) {
      throw failure("reading engine info", exception);
    }
  }

  @Override
  public boolean ping() {
    try {
      client.pingCmd().exec();
      return true;
    } catch (RuntimeException exception) {
      LOG.debug("engine ping failed: {}", exception.toString());
      return false;
    }
  }

  // ---------------------------------------------------------------- network

  @Override
  public void ensureNetwork(String cidr) {
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

  // ---------------------------------------------------------------- sandboxes

  @Override
  public synchronized String ensureSandboxImage() {
    String preferred = config.sandboxImage();
    if (imagePresent(preferred)) {
      resolvedSandboxImage = preferred;
      return preferred;
    }
    String local = config.localSandboxImage();
    if (!preferred.equals(local)) {
      try {
        pullImage(preferred, Optional.empty());
        resolvedSandboxImage = preferred;
        return preferred;
      } catch (ImagePullException pullFailure) {
        LOG.warn("cannot pull sandbox image {} ({}); using locally built {}", preferred, pullFailure.engineMessage(),
            local);
      }
    }
    if (!imagePresent(local)) {
      buildLocalSandboxImage(local);
    }
    resolvedSandboxImage = local;
    return local;
  }

  private void buildLocalSandboxImage(String tag) {
    String architecture = info().architecture();
    byte[] archive = PauseImageArchive.build(ImageReference.parse(tag).familiar(),
        PauseExecutable.Architecture.fromEngine(architecture));
    try {
      client.loadImageCmd(new ByteArrayInputStream(archive)).exec();
    } catch (RuntimeException exception) {
      throw failure("loading generated pause image " + tag, exception);
    }
    if (!imagePresent(tag)) {
      throw new ContainerRuntimeException("generated pause image " + tag + " was loaded but is not present");
    }
    LOG.info("built pause image {} locally for {} ({} bytes)", tag, architecture, archive.length);
  }

  private String sandboxImage() {
    String image = resolvedSandboxImage;
    if (image == null || !imagePresent(image)) {
      image = ensureSandboxImage();
    }
    return image;
  }

  @Override
  public SandboxInfo runSandbox(SandboxSpec spec) {
    requireNonNull(spec, "spec is null");
    String image = sandboxImage();
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

  @Override
  public void stopSandbox(String sandboxId) {
    killContainer(sandboxId);
  }

  // ---------------------------------------------------------------- containers

  @Override
  public String createContainer(ContainerSpec spec) {
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
            mount.readOnly() ? com.github.dockerjava.api.model.AccessMode.ro
                : com.github.dockerjava.api.model.AccessMode.rw));
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
  private String createWithNameRetry(String name, java.util.function.Supplier<String> create) {
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

  @Override
  public void startContainer(String containerId) {
    requireNonNull(containerId, "containerId is null");
    try {
      client.startContainerCmd(containerId).exec();
    } catch (NotModifiedException alreadyRunning) {
      LOG.debug("container {} already running", containerId);
    } catch (RuntimeException exception) {
      throw failure("starting container " + containerId, exception);
    }
  }

  @Override
  public void stopContainer(String containerId, long gracePeriodSeconds) {
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

  @Override
  public void killContainer(String containerId) {
    requireNonNull(containerId, "containerId is null");
    try {
      client.killContainerCmd(containerId).withSignal("KILL").exec();
    } catch (NotFoundException | ConflictException notRunning) {
      LOG.debug("container {} not running: {}", containerId, notRunning.getMessage());
    } catch (RuntimeException exception) {
      throw failure("killing container " + containerId, exception);
    }
  }

  @Override
  public void removeContainer(String containerId) {
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

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labelFilter) {
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

  @Override
  public Optional<ContainerStatus> inspect(String containerId) {
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

  static Instant parseTime(String value) {
    if (value == null || value.isEmpty() || value.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException malformed) {
      return null;
    }
  }

  // ---------------------------------------------------------------- images

  @Override
  public boolean imagePresent(String imageReference) {
    return imageId(imageReference).isPresent();
  }

  @Override
  public Optional<String> imageId(String imageReference) {
    String reference = ImageReference.parse(imageReference).familiar();
    try {
      return Optional.ofNullable(client.inspectImageCmd(reference).exec().getId());
    } catch (NotFoundException absent) {
      return Optional.empty();
    } catch (RuntimeException exception) {
      throw failure("inspecting image " + reference, exception);
    }
  }

  @Override
  public void pullImage(String imageReference, Optional<RegistryAuth> auth) {
    requireNonNull(auth, "auth is null");
    ImageReference reference = ImageReference.parse(imageReference);
    String tagOrDigest = reference.digest().isEmpty() ? reference.tag() : reference.digest();
    PullImageCmd command = client.pullImageCmd(reference.familiarRepository()).withTag(tagOrDigest);
    auth.ifPresent(credentials -> command.withAuthConfig(new AuthConfig()
        .withRegistryAddress(credentials.serverAddress())
        .withUsername(credentials.username())
        .withPassword(credentials.password())
        .withIdentityToken(credentials.identityToken().isEmpty() ? null : credentials.identityToken())));
    long started = System.nanoTime();
    PullImageResultCallback callback = new PullImageResultCallback();
    try {
      command.exec(callback);
      if (!callback.awaitCompletion(config.pullTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        callback.close();
        throw new ImagePullException(imageReference, "timed out after " + config.pullTimeout(), null);
      }
    } catch (ImagePullException exception) {
      throw exception;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      closeQuietly(callback);
      throw new ImagePullException(imageReference, "interrupted", interrupted);
    } catch (IOException | RuntimeException exception) {
      throw new ImagePullException(imageReference, engineMessage(exception), exception);
    }
    LOG.info("pulled image {} in {} ms", reference.familiar(), (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public List<ImageSummary> listImages() {
    try {
      List<ImageSummary> images = new ArrayList<>();
      for (Image image : client.listImagesCmd().exec()) {
        List<String> names = new ArrayList<>();
        if (image.getRepoTags() != null) {
          Arrays.stream(image.getRepoTags()).filter(tag -> !tag.equals("<none>:<none>")).forEach(names::add);
        }
        if (image.getRepoDigests() != null) {
          Arrays.stream(image.getRepoDigests()).filter(digest -> !digest.startsWith("<none>")).forEach(names::add);
        }
        images.add(new ImageSummary(image.getId(), names, image.getSize() == null ? 0 : image.getSize()));
      }
      return images;
    } catch (RuntimeException exception) {
      throw failure("listing images", exception);
    }
  }

  // ---------------------------------------------------------------- streams

  @Override
  public StreamSession logs(String containerId, LogOptions options, FrameSink sink) {
    requireNonNull(containerId, "containerId is null");
    requireNonNull(options, "options is null");
    requireNonNull(sink, "sink is null");
    LogContainerCmd command = client.logContainerCmd(containerId)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(options.follow())
        .withTimestamps(true);
    if (options.tailLines() >= 0) {
      command.withTail(options.tailLines());
    } else {
      command.withTailAll();
    }
    if (options.sinceTime() != null) {
      command.withSince((int) options.sinceTime().getEpochSecond());
    }
    FrameCallback callback = new FrameCallback(sink, options.limitBytes(),
        new LogLineFormatter(options.timestamps(), options.sinceTime()));
    try {
      command.exec(callback);
    } catch (NotFoundException gone) {
      throw new ContainerRuntimeException("container " + containerId + " not found", gone);
    } catch (RuntimeException exception) {
      throw failure("reading logs of " + containerId, exception);
    }
    return callback;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The exec is created through docker-java; its start request and the stream are done here over a connection of our
   * own (see {@link HijackedConnection}), because docker-java's transports cannot half-close the connection and so
   * never deliver end-of-file on stdin. Without a TTY, closing {@link InteractiveSession#stdin()} half-closes the
   * connection and the engine closes the command's stdin. With a TTY closing stdin changes nothing (the engine would
   * stop the output instead; a terminal's end-of-file is the character the client types).
   */
  @Override
  public InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin,
      FrameSink sink) {
    requireNonNull(containerId, "containerId is null");
    requireNonNull(command, "command is null");
    requireNonNull(sink, "sink is null");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
    String execId;
    try {
      execId = client.execCreateCmd(containerId)
          .withCmd(command.toArray(new String[0]))
          .withTty(tty)
          .withAttachStdin(stdin)
          .withAttachStdout(true)
          .withAttachStderr(true)
          .exec()
          .getId();
    } catch (RuntimeException exception) {
      throw failure("creating exec in " + containerId, exception);
    }
    HijackedConnection connection = openStream("starting exec in " + containerId,
        "/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":" + tty + "}");
    return HijackedSession.start(connection, "docker-exec-" + shortId(execId), tty, stdin, stdin && !tty, sink,
        (width, height) -> {
          try {
            client.resizeExecCmd(execId).withSize(height, width).exec();
          } catch (RuntimeException exception) {
            throw failure("resizing terminal of exec " + execId, exception);
          }
        },
        outputEnded -> execExitCode(execId, outputEnded));
  }

  /**
   * The exec's exit code. After its output ended it may take the engine a moment to record the exit, so this polls for
   * up to {@link #EXIT_CODE_WAIT}; after a close it asks once. -1 while it still runs.
   */
  private int execExitCode(String execId, boolean outputEnded) {
    long deadline = System.nanoTime() + (outputEnded ? EXIT_CODE_WAIT.toNanos() : 0);
    while (true) {
      InspectExecResponse response = client.inspectExecCmd(execId).exec();
      boolean running = Boolean.TRUE.equals(response.isRunning());
      if (!running) {
        Long exitCode = response.getExitCodeLong();
        return exitCode == null ? -1 : exitCode.intValue();
      }
      if (System.nanoTime() >= deadline) {
        return -1;
      }
      sleep(20);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Streams over a connection of our own like {@link #exec}. Stdin is attached only when asked for and the
   * container was created with an open stdin (otherwise writes fail). Closing stdin half-closes the connection, and the
   * engine does what the kubelet's runtimes do: for a {@code stdinOnce} container without TTY it closes the
   * container's stdin, otherwise it ends this attach; the container keeps running either way. Frames are multiplexed
   * or raw according to the container's TTY setting. Like the kubelet's runtimes, refuses a container that is not
   * running (the engine would accept a created one and wait for its start).
   */
  @Override
  public InteractiveSession attach(String containerId, boolean stdin, FrameSink sink) {
    requireNonNull(containerId, "containerId is null");
    requireNonNull(sink, "sink is null");
    InspectContainerResponse container;
    try {
      container = client.inspectContainerCmd(containerId).exec();
    } catch (NotFoundException gone) {
      throw new ContainerRuntimeException("container " + containerId + " not found", gone);
    } catch (RuntimeException exception) {
      throw failure("attaching to " + containerId, exception);
    }
    if (container.getState() == null || !Boolean.TRUE.equals(container.getState().getRunning())) {
      String state = container.getState() == null ? "unknown" : container.getState().getStatus();
      throw new ContainerRuntimeException("attaching to " + containerId + ": container is not running (" + state
          + ")");
    }
    boolean tty = container.getConfig() != null && Boolean.TRUE.equals(container.getConfig().getTty());
    boolean openStdin = container.getConfig() != null && Boolean.TRUE.equals(container.getConfig().getStdinOpen());
    boolean useStdin = stdin && openStdin;
    String id = container.getId() == null ? containerId : container.getId();
    HijackedConnection connection = openStream("attaching to " + containerId,
        "/containers/" + id + "/attach?stream=1&stdout=1&stderr=1" + (useStdin ? "&stdin=1" : ""), "");
    return HijackedSession.start(connection, "docker-attach-" + shortId(id), tty, useStdin, true, sink,
        (width, height) -> {
          try {
            client.resizeContainerCmd(id).withSize(height, width).exec();
          } catch (RuntimeException exception) {
            throw failure("resizing terminal of " + containerId, exception);
          }
        },
        outputEnded -> attachExitCode(id, outputEnded));
  }

  /** The container's exit code if it stopped (waiting briefly after the output ended), else -1. */
  private int attachExitCode(String containerId, boolean outputEnded) {
    long deadline = System.nanoTime() + (outputEnded ? ATTACH_EXIT_WAIT.toNanos() : 0);
    while (true) {
      Optional<ContainerStatus> status = inspect(containerId);
      if (status.isEmpty()) {
        return -1;
      }
      if (!status.get().running()) {
        return status.get().exitCode();
      }
      if (System.nanoTime() >= deadline) {
        return -1;
      }
      sleep(20);
    }
  }

  private HijackedConnection openStream(String action, String path, String jsonBody) {
    EngineEndpoint endpoint;
    try {
      endpoint = EngineEndpoint.parse(config.dockerHost());
    } catch (IllegalArgumentException unsupported) {
      throw new ContainerRuntimeException(action + ": " + unsupported.getMessage(), unsupported);
    }
    if (tls && !endpoint.unix()) {
      throw new ContainerRuntimeException(action + ": exec/attach streams over TLS are not supported ("
          + config.dockerHost() + ")");
    }
    try {
      return HijackedConnection.open(endpoint, path, jsonBody, STREAM_ANSWER_TIMEOUT, scheduler);
    } catch (IOException | ContainerRuntimeException exception) {
      throw new ContainerRuntimeException(action + ": " + exception.getMessage(), exception);
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  @Override
  public Closeable events(Consumer<RuntimeEvent> consumer) {
    requireNonNull(consumer, "consumer is null");
    EventSubscription subscription = new EventSubscription(consumer);
    subscription.connect(null);
    return subscription;
  }

  // ---------------------------------------------------------------- helpers

  private static StreamFrame toStreamFrame(Frame frame) {
    StreamFrame.Kind kind = frame.getStreamType() == StreamType.STDERR ? StreamFrame.Kind.STDERR
        : StreamFrame.Kind.STDOUT;
    return new StreamFrame(kind, frame.getPayload() == null ? new byte[0] : frame.getPayload());
  }

  static String engineMessage(Throwable exception) {
    String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
    int brace = message.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode body = MAPPER.readTree(message.substring(brace));
        if (body.hasNonNull("message")) {
          return body.get("message").asText();
        }
      } catch (IOException notJson) {
        // keep the whole message
      }
    }
    return message;
  }

  private static ContainerRuntimeException failure(String action, RuntimeException exception) {
    if (exception instanceof ContainerRuntimeException runtimeException) {
      return runtimeException;
    }
    if (exception instanceof DockerException || exception.getCause() instanceof IOException) {
      return new ContainerRuntimeException(action + ": " + engineMessage(exception), exception);
    }
    return new ContainerRuntimeException(action + ": " + exception, exception);
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException exception) {
      LOG.debug("close failed", exception);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException("interrupted");
    }
  }

  /**
   * Log stream callback: formats the engine's messages ({@link LogLineFormatter}), forwards them, enforces the byte
   * limit (counting timestamps, like the kubelet), completes a future.
   */
  private static class FrameCallback extends ResultCallback.Adapter<Frame> implements StreamSession {
    private final FrameSink sink;
    private final long limitBytes;
    private final LogLineFormatter formatter;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private long written;
    private volatile boolean closing;

    FrameCallback(FrameSink sink, long limitBytes, LogLineFormatter formatter) {
      this.sink = sink;
      this.limitBytes = limitBytes;
      this.formatter = formatter;
    }

    @Override
    public void onNext(Frame frame) {
      if (closing || completion.isDone()) {
        return;
      }
      StreamFrame streamFrame = formatter.format(toStreamFrame(frame));
      if (streamFrame == null) {
        return;
      }
      if (limitBytes > 0) {
        long remaining = limitBytes - written;
        if (streamFrame.payload().length >= remaining) {
          byte[] truncated = Arrays.copyOf(streamFrame.payload(), (int) remaining);
          written = limitBytes;
          if (truncated.length > 0) {
            deliver(new StreamFrame(streamFrame.kind(), truncated));
          }
          close();
          return;
        }
        written += streamFrame.payload().length;
      }
      deliver(streamFrame);
    }

    void deliver(StreamFrame frame) {
      try {
        sink.accept(frame);
      } catch (RuntimeException sinkFailure) {
        LOG.debug("frame sink failed; closing stream", sinkFailure);
        completion.completeExceptionally(sinkFailure);
        close();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (closing) {
        finished();
        return;
      }
      completion.completeExceptionally(throwable);
      super.onError(throwable);
      finished();
    }

    @Override
    public void onComplete() {
      super.onComplete();
      finished();
    }

    /** Called once the stream ended, however. */
    void finished() {
      completion.complete(null);
    }

    @Override
    public CompletableFuture<Void> completion() {
      return completion;
    }

    @Override
    public void close() {
      closing = true;
      try {
        super.close();
      } catch (IOException exception) {
        LOG.debug("closing stream failed", exception);
      }
      finished();
    }
  }

  /**
   * Engine event stream for minicluster's containers, reconnecting with {@code since} after it ends, plus an OOM event
   * for each OOM kill the kernel reports in one of them (the engine may report none).
   */
  private final class EventSubscription implements Closeable {
    private final Consumer<RuntimeEvent> consumer;
    private final AtomicLong lastEventNanos = new AtomicLong();
    private final Closeable kernelKills;
    private volatile boolean closed;
    private volatile ResultCallback.Adapter<Event> current;

    EventSubscription(Consumer<RuntimeEvent> consumer) {
      this.consumer = consumer;
      this.kernelKills = oomWatcher.subscribe(this::kernelKill);
    }

    private void kernelKill(OomKill kill) {
      if (closed || kill.container().isEmpty()) {
        return;
      }
      Map<String, String> labels;
      try {
        InspectContainerResponse response = client.inspectContainerCmd(kill.containerId()).exec();
        labels = response.getConfig() == null || response.getConfig().getLabels() == null ? Map.of()
            : response.getConfig().getLabels();
      } catch (RuntimeException goneOrUnreachable) {
        LOG.debug("OOM-killed container {}: {}", kill.containerId(), goneOrUnreachable.toString());
        return;
      }
      if (labels.containsKey(RuntimeLabels.TYPE)) {
        deliver(new RuntimeEvent(RuntimeEvent.Type.OOM, kill.containerId(), labels, kill.time(), -1));
      }
    }

    private void deliver(RuntimeEvent event) {
      try {
        consumer.accept(event);
      } catch (RuntimeException consumerFailure) {
        LOG.warn("runtime event consumer failed", consumerFailure);
      }
    }

    void connect(String since) {
      if (closed) {
        return;
      }
      ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
        @Override
        public void onNext(Event event) {
          handle(event);
        }

        @Override
        public void onError(Throwable throwable) {
          if (!closed) {
            LOG.debug("engine event stream failed: {}", throwable.toString());
          }
          reconnectLater(this);
        }

        @Override
        public void onComplete() {
          reconnectLater(this);
        }
      };
      current = callback;
      try {
        com.github.dockerjava.api.command.EventsCmd command = client.eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withLabelFilter(RuntimeLabels.TYPE)
            .withEventFilter(EVENT_ACTIONS.toArray(new String[0]));
        if (since != null) {
          command.withSince(since);
        }
        command.exec(callback);
      } catch (RuntimeException exception) {
        LOG.debug("subscribing to engine events failed: {}", exception.toString());
        reconnectLater(callback);
      }
    }

    private void reconnectLater(ResultCallback.Adapter<Event> ended) {
      if (closed || ended != current) {
        return;
      }
      long last = lastEventNanos.get();
      String since = last == 0 ? Long.toString(Instant.now().minusSeconds(1).getEpochSecond())
          : (last / 1_000_000_000L) + "." + String.format("%09d", last % 1_000_000_000L);
      try {
        scheduler.schedule(() -> connect(since), EVENT_RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException shutDown) {
        LOG.debug("runtime closed; not reconnecting events");
      }
    }

    private void handle(Event event) {
      String action = event.getAction() != null ? event.getAction() : event.getStatus();
      if (action == null || event.getId() == null) {
        return;
      }
      RuntimeEvent.Type type;
      try {
        type = RuntimeEvent.Type.valueOf(action.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException other) {
        return;
      }
      Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
          ? Map.of() : event.getActor().getAttributes();
      Map<String, String> labels = new HashMap<>(attributes);
      NON_LABEL_ATTRIBUTES.forEach(labels::remove);
      int exitCode = -1;
      if (type == RuntimeEvent.Type.DIE && attributes.containsKey("exitCode")) {
        try {
          exitCode = Integer.parseInt(attributes.get("exitCode"));
        } catch (NumberFormatException malformed) {
          exitCode = -1;
        }
      }
      long nanos = event.getTimeNano() != null ? event.getTimeNano()
          : (event.getTime() == null ? 0 : event.getTime() * 1_000_000_000L);
      lastEventNanos.accumulateAndGet(nanos, Math::max);
      Instant time = nanos == 0 ? Instant.now() : Instant.ofEpochSecond(0, nanos);
      if (type == RuntimeEvent.Type.DIE) {
        // before anyone inspects the exited container: its cgroup counter may still be readable
        oomWatcher.sampleExited(event.getId());
      }
      deliver(new RuntimeEvent(type, event.getId(), labels, time, exitCode));
    }

    @Override
    public void close() {
      closed = true;
      closeQuietly(kernelKills);
      ResultCallback.Adapter<Event> callback = current;
      if (callback != null) {
        closeQuietly(callback);
      }
    }
  }
}
