package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.oom.OomKill;
import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.NetworkProber;
import io.minicluster.agent.probe.ProbeManager;
import io.minicluster.agent.probe.Prober;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.EngineInfo;
import io.minicluster.agent.runtime.RuntimeEvent;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.agent.streams.NodeStreams;
import io.minicluster.agent.streams.PodStreamService;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent (the kubelet's job inside the daemon): runs the pods bound to this node as engine containers and
 * reports their status. An informer feeds pod UIDs into a work queue whose workers never sync one pod twice at once
 * (the kubelet's pod workers); engine events (PLEG) and a periodic relist re-queue pods, and the relist removes engine
 * containers of pods that no longer exist. After a restart the agent re-adopts the containers it finds by their labels
 * and restarts none of them. OOM kills outside pods are reported as the node's {@code SystemOOM} warnings (the
 * kubelet's OOM watcher); those inside pods show in their containers' status.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final int WORKERS = 4;

  private final Client client;
  private final ContainerRuntime runtime;
  private final AgentConfig config;
  private final Clock clock;
  private final EventRecorder recorder;
  private final OomWatcher oomWatcher;
  private final ObjectNode nodeReference;
  private final Informer informer;
  private final WorkQueue queue = new WorkQueue("pod-workers", Duration.ofMillis(500), Duration.ofSeconds(30));
  private final Map<String, ObjectNode> pods = new ConcurrentHashMap<>();
  private final ProbeManager probes;
  private final PodWorker worker;
  private final NodeStreams streams;
  private final ExecutorService probeExecutor;
  private final ExecutorService stopExecutor;
  private final ExecutorService terminations;
  private final List<Thread> threads = new ArrayList<>();
  private ScheduledExecutorService timers;
  private Closeable events;
  private Closeable oomKills;
  private volatile boolean closed;

  public NodeAgent(Client client, ContainerRuntime runtime, AgentConfig config, EventRecorder recorder,
      OomWatcher oomWatcher, Clock clock) {
    this(client, runtime, config, recorder, oomWatcher, clock, new NetworkProber(runtime), null);
  }

  /**
   * With a given prober and probe executor (tests: a fake prober and {@code Runnable::run}); null executor = a pool.
   */
  NodeAgent(Client client, ContainerRuntime runtime, AgentConfig config, EventRecorder recorder,
      OomWatcher oomWatcher, Clock clock, Prober prober, Executor probeExecutorOverride) {
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
    this.informer = new Informer(client, ResourceTypes.PODS, null,
        pod -> nodeName.equals(Json.text(pod, "spec", "nodeName")));
    this.probeExecutor = Executors.newFixedThreadPool(4, daemonThreads("agent-probe"));
    this.stopExecutor = Executors.newCachedThreadPool(daemonThreads("agent-stop"));
    this.terminations = Executors.newCachedThreadPool(daemonThreads("agent-terminate"));
    Executor probeRunner = probeExecutorOverride != null ? probeExecutorOverride : probeExecutor;
    this.probes = new ProbeManager(prober, recorder, clock, probeRunner, queue::add);
    EnvironmentResolver environment = new EnvironmentResolver(client, nodeResources(runtime));
    this.worker = new PodWorker(client, runtime, config, recorder, clock,
        new ImageManager(runtime, client, recorder, clock, config.offline()), environment,
        new io.minicluster.agent.volume.VolumeManager(client, environment), probes, prober, stopExecutor);
    this.streams = new NodeStreams(runtime, clock);
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

  /** Prepares the pod network and sandbox image, then starts the informer, workers, PLEG and relist. */
  public synchronized void start() {
    runtime.ensureNetwork(config.podCidr());
    runtime.ensureSandboxImage();
    informer.addHandler(new Informer.Handler() {
      @Override
      public void onAdd(ObjectNode pod) {
        pods.put(Meta.uid(pod), pod);
        queue.add(Meta.uid(pod));
      }

      @Override
      public void onUpdate(ObjectNode old, ObjectNode pod) {
        pods.put(Meta.uid(pod), pod);
        queue.add(Meta.uid(pod));
      }

      @Override
      public void onDelete(ObjectNode pod) {
        pods.remove(Meta.uid(pod));
        queue.add(Meta.uid(pod));
      }
    });
    informer.start();
    for (int i = 0; i < WORKERS; i++) {
      Thread thread = new Thread(this::work, "pod-worker-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    events = runtime.events(this::onRuntimeEvent);
    oomKills = oomWatcher.subscribe(this::onOomKill);
    timers = Executors.newScheduledThreadPool(1, daemonThreads("agent-timer"));
    long relist = Math.max(500, config.relistPeriod().toMillis());
    timers.scheduleWithFixedDelay(this::relistSafely, relist, relist, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::tickSafely, 500, 500, TimeUnit.MILLISECONDS);
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

  private void work() {
    while (!closed) {
      String uid;
      try {
        uid = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (uid == null) {
        return;
      }
      ObjectNode pod = pods.get(uid);
      if (pod == null || Meta.deleting(pod)) {
        // termination waits out grace periods: run it aside so that one slow pod never holds up the others (the
        // key stays "processing" in the queue until it is done, so the pod is still never synced twice at once)
        try {
          terminations.execute(() -> process(uid));
          continue;
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // shutting down: fall through and finish on this thread
        }
      }
      process(uid);
    }
  }

  private void process(String uid) {
    try {
      Duration again = syncUid(uid);
      queue.forget(uid);
      if (again != null) {
        queue.addAfter(uid, again);
      }
    } catch (RuntimeException e) {
      LOG.warn("sync of pod {} failed: {}", uid, e.toString());
      LOG.debug("sync failure", e);
      queue.addRateLimited(uid);
    } finally {
      queue.done(uid);
    }
  }

  private Duration syncUid(String uid) {
    ObjectNode pod = pods.get(uid);
    if (pod == null && !Files.isDirectory(config.podDirectory(uid))) {
      return null;
    }
    return worker.sync(uid, pod);
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
    pods.put(Meta.uid(pod.get()), pod.get());
    return worker.sync(Meta.uid(pod.get()), pod.get());
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
    return Optional.ofNullable(Json.text(pod.get(), "status", "podIP")).filter(ip -> !ip.isEmpty());
  }

  @Override
  public synchronized void close() {
    closed = true;
    informer.close();
    queue.close();
    threads.forEach(Thread::interrupt);
    if (timers != null) {
      timers.shutdownNow();
    }
    for (Closeable subscription : new Closeable[] {events, oomKills}) {
      if (subscription != null) {
        try {
          subscription.close();
        } catch (IOException e) {
          LOG.debug("closing a subscription: {}", e.getMessage());
        }
      }
    }
    probeExecutor.shutdownNow();
    stopExecutor.shutdownNow();
    terminations.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
