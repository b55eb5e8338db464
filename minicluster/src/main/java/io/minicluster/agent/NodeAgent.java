package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.oom.OomKill;
import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.ProbeManager;
import io.minicluster.agent.probe.Prober;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.EngineInfo;
import io.minicluster.agent.runtime.RuntimeEvent;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.agent.streams.NodeStreams;
import io.minicluster.agent.streams.PodStreamService;
import io.minicluster.agent.volume.VolumeManager;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Pod;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.json.Json;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent (the kubelet's job inside the daemon): runs the pods bound to this node as engine containers and
 * reports their status. The shared pod informer feeds the UIDs of this node's pods into a work queue whose workers (a
 * {@link Controller} runner the wiring builds with the agent as its reconciler) never sync one pod twice at once (the
 * kubelet's pod workers); pods being deleted sync aside on the terminations executor ({@link #offload()}), so that a
 * grace period never holds up a worker. Engine events (PLEG) and a
 * periodic relist re-queue pods, and the relist removes engine containers of pods that no longer exist. After a
 * restart the agent re-adopts the containers it finds by their labels and restarts none of them; after a restart of
 * the engine (or of the system) it starts the pods' stopped sandboxes and containers again in place (see
 * {@link PodActions}). OOM kills outside pods are reported as the node's {@code SystemOOM} warnings (the
 * kubelet's OOM watcher); those inside pods show in their containers' status.
 */
public final class NodeAgent implements Controller.Loop, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  private final Client client;
  private final ContainerRuntime runtime;
  private final AgentConfig config;
  private final Clock clock;
  private final EventRecorder recorder;
  private final OomWatcher oomWatcher;
  private final ObjectNode nodeReference;
  /** The pods as the agent reads them: records, with their containers' config hashes ({@link AgentPod}). */
  private final Informer<AgentPod> informer;
  private final WorkQueue queue;
  /** This node's pods by UID, as the informer last showed them. */
  private final Map<String, AgentPod> pods = new ConcurrentHashMap<>();
  private final ProbeManager probes;
  private final PodWorker worker;
  private final NodeStreams streams;
  private final ScheduledExecutorService timers;
  private final Executor terminations;
  private final List<Future<?>> scheduled = new ArrayList<>();
  private Closeable events;
  private Closeable oomKills;

  /**
   * @param prober runs the probes and lifecycle hooks ({@code NetworkProber} in the daemon)
   * @param informers the process's shared informers; the agent uses the pods of its node
   * @param queue the pod workers' queue of pod UIDs, the queue of the runner the wiring builds for the agent
   * @param executors the threads it runs on, shut down by their owner after {@link #close()}
   */
  public NodeAgent(Client client, ContainerRuntime runtime, AgentConfig config, EventRecorder recorder,
      OomWatcher oomWatcher, Clock clock, Prober prober, SharedInformers informers, WorkQueue queue,
      AgentExecutors executors) {
    this.client = requireNonNull(client, "client is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.config = requireNonNull(config, "config is null");
    this.recorder = requireNonNull(recorder, "recorder is null");
    this.oomWatcher = requireNonNull(oomWatcher, "oomWatcher is null");
    this.clock = requireNonNull(clock, "clock is null");
    String nodeName = config.nodeName();
    // the kubelet's reference to its node: the node's name is its UID
    this.nodeReference = Json.object().put("apiVersion", "v1").put("kind", "Node");
    this.nodeReference.putObject("metadata").put("name", nodeName).put("uid", nodeName);
    this.informer = informers.informer(AgentPod.KIND);
    this.queue = requireNonNull(queue, "queue is null");
    this.timers = executors.timers();
    this.terminations = executors.terminations();
    this.probes = new ProbeManager(prober, recorder, clock, executors.probes(), queue::add);
    EnvironmentResolver environment = new EnvironmentResolver(client, nodeResources(runtime));
    this.worker = new PodWorker(client, runtime, config, recorder, clock,
        new ImageManager(runtime, client, recorder, clock, config.offline()), environment,
        new VolumeManager(client, environment, clock), probes, prober, executors.stops());
    this.streams = new NodeStreams(runtime, clock);
    informer.addHandler(new PodHandler(nodeName));
  }

  /** Feeds the UIDs of this node's pods to the queue (the informer has every pod: this is the agent's filter). */
  private final class PodHandler implements Informer.Handler<AgentPod> {
    private final String nodeName;

    PodHandler(String nodeName) {
      this.nodeName = nodeName;
    }

    private boolean mine(AgentPod pod) {
      return nodeName.equals(pod.pod().spec().nodeName());
    }

    @Override
    public void onAdd(AgentPod pod) {
      if (mine(pod)) {
        pods.put(pod.uid(), pod);
        queue.add(pod.uid());
      }
    }

    @Override
    public void onUpdate(AgentPod old, AgentPod pod) {
      String uid = pod.uid();
      if (mine(pod)) {
        pods.put(uid, pod);
        queue.add(uid);
      } else if (pods.remove(uid) != null) {
        queue.add(uid);
      }
    }

    @Override
    public void onDelete(AgentPod pod) {
      String uid = pod.uid();
      if (pods.remove(uid) != null || mine(pod)) {
        queue.add(uid);
      }
    }
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(informer);
  }

  /** The pod syncs the runner runs aside on the terminations executor: those of pods gone or being deleted. */
  public Controller.Offload offload() {
    return new Controller.Offload(this::terminating, terminations);
  }

  /** Whether the pod is gone or being deleted: its sync waits out grace periods, so it runs aside. */
  private boolean terminating(String uid) {
    AgentPod pod = pods.get(uid);
    return pod == null || pod.pod().metadata().isDeleting();
  }

  private static EnvironmentResolver.NodeResources nodeResources(ContainerRuntime runtime) {
    try {
      EngineInfo info = runtime.info();
      return new EnvironmentResolver.NodeResources(info.cpus() * 1000L, info.memoryBytes());
    } catch (RuntimeException e) {
      return new EnvironmentResolver.NodeResources(Runtime.getRuntime().availableProcessors() * 1000L,
          Runtime.getRuntime().maxMemory());
    }
  }

  /**
   * Prepares the pod network and sandbox image, then starts PLEG, the relist and the probe tick; the wiring starts the
   * runner of the pod workers after it.
   */
  public synchronized void start() {
    runtime.ensureNetwork(config.podCidr());
    runtime.ensureSandboxImage();
    events = runtime.events(this::onRuntimeEvent);
    oomKills = oomWatcher.subscribe(this::onOomKill);
    long relist = Math.max(500, config.relistPeriod().toMillis());
    scheduled.add(timers.scheduleWithFixedDelay(this::relistSafely, relist, relist, TimeUnit.MILLISECONDS));
    scheduled.add(timers.scheduleWithFixedDelay(this::tickSafely, 500, 500, TimeUnit.MILLISECONDS));
    LOG.info("node agent for {} started (pod network {})", config.nodeName(), config.podCidr());
  }

  private void onRuntimeEvent(RuntimeEvent event) {
    String uid = event.podUid();
    if (!uid.isEmpty() && pods.containsKey(uid)) {
      queue.add(uid);
    }
  }

  /**
   * The kubelet's SystemOOM warning on the node, with its message, for a kill when the whole machine ran out of memory
   * (as the kubelet) and for a kill outside the node's pods; a pod container's own limit shows in its status instead.
   */
  private void onOomKill(OomKill kill) {
    boolean inPod = kill.container().flatMap(runtime::inspect)
        .map(container -> container.labels().containsKey(RuntimeLabels.POD_UID)).orElse(false);
    if (inPod && !kill.systemWide()) {
      return;
    }
    String message = "System OOM encountered";
    if (!kill.processName().isEmpty() && kill.pid() != 0) {
      message += ", victim process: " + kill.processName() + ", pid: " + kill.pid();
    }
    recorder.warning(nodeReference, "SystemOOM", message);
  }

  private void tickSafely() {
    try {
      probes.tick();
    } catch (RuntimeException e) {
      LOG.warn("probe tick failed", e);
    }
  }

  private void relistSafely() {
    try {
      if (informer.hasSynced()) {
        relist();
      }
    } catch (RuntimeException e) {
      LOG.warn("relist failed: {}", e.getMessage());
    }
  }

  /**
   * Re-queues every pod, and every pod UID the engine or the pod directory still has but the API no longer does
   * (orphans: their workers tear them down). Engine containers without a pod directory of this agent are not ours and
   * are left alone.
   */
  public void relist() {
    Set<String> uids = new HashSet<>(pods.keySet());
    for (ContainerSummary summary : runtime.listContainers(Map.of())) {
      String uid = summary.podUid();
      if (!uid.isEmpty() && !pods.containsKey(uid) && Files.isDirectory(config.podDirectory(uid))) {
        uids.add(uid);
      }
    }
    Path podsDirectory = config.dataDir().resolve("pods");
    if (Files.isDirectory(podsDirectory)) {
      try (Stream<Path> entries = Files.list(podsDirectory)) {
        entries.map(path -> path.getFileName().toString()).filter(uid -> !pods.containsKey(uid)).forEach(uids::add);
      } catch (IOException e) {
        LOG.debug("cannot list {}: {}", podsDirectory, e.getMessage());
      }
    }
    uids.forEach(queue::add);
  }

  /** Syncs one pod; the milliseconds after which to sync it again, 0 for none (the runner's contract). */
  @Override
  public long reconcile(String uid) {
    AgentPod pod = pods.get(uid);
    if (pod == null && !Files.isDirectory(config.podDirectory(uid))) {
      return 0;
    }
    // the version the informer has now (null once the pod is gone from the API: it is torn down)
    AgentPod current = pod == null ? null : informer.get(pod.pod().metadata().namespace(), pod.pod().metadata().name())
        .filter(latest -> uid.equals(latest.uid()))
        .orElse(null);
    Duration again = worker.sync(uid, current);
    return again == null ? 0 : Math.max(1, again.toMillis());
  }

  /**
   * Synchronises one pod now on the calling thread, reading it from the API (tests and diagnostics; the caller must
   * not race the workers for the same pod).
   */
  public Duration syncNow(String namespace, String name) {
    Optional<ObjectNode> pod = client.find(ResourceTypes.PODS, namespace, name);
    if (pod.isEmpty()) {
      return null;
    }
    AgentPod current = AgentPod.from(pod.get());
    pods.put(current.uid(), current);
    return worker.sync(current.uid(), current);
  }

  /** Synchronises a pod UID that is gone from the API (tears down what is left of it) on the calling thread. */
  public void syncGone(String podUid) {
    pods.remove(podUid);
    worker.sync(podUid, null);
  }

  /** Runs the probes that are due (normally every 500 ms on a timer). */
  public void probeTick() {
    probes.tick();
  }

  /** The streaming service (logs, exec, attach, port-forward) the API server calls through its adapters. */
  public PodStreamService streams() {
    return streams;
  }

  /** The engine id of the current instance of a pod's container (for exec/attach), if it exists. */
  public Optional<String> containerId(String podUid, String containerName) {
    return NodeStreams.currentContainerId(runtime, podUid, containerName);
  }

  /** The engine id of the current instance of a container of the pod {@code namespace/name}. */
  public Optional<String> containerId(String namespace, String name, String containerName) {
    return client.find(ResourceTypes.PODS, namespace, name).flatMap(pod -> containerId(Meta.uid(pod),
        containerName));
  }

  /** The pod IP of a running pod (reachable from the host), if known. */
  public Optional<String> podIp(String namespace, String name) {
    Optional<ObjectNode> pod = client.find(ResourceTypes.PODS, namespace, name);
    if (pod.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> known = worker.podIp(Meta.uid(pod.get()));
    if (known.isPresent()) {
      return known;
    }
    return Optional.of(Pod.from(pod.get()).status().podIP()).filter(ip -> !ip.isEmpty());
  }

  /**
   * Stops the timers and subscriptions; the runner of the pod workers (closed before), the shared informers and the
   * executors belong to the wiring.
   */
  @Override
  public synchronized void close() {
    scheduled.forEach(future -> future.cancel(true));
    for (Closeable subscription : new Closeable[] {events, oomKills}) {
      if (subscription != null) {
        try {
          subscription.close();
        } catch (IOException e) {
          LOG.debug("closing a subscription: {}", e.getMessage());
        }
      }
    }
  }
}
