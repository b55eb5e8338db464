package io.minicluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Pod;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;
import io.minicluster.testing.InProcessApi;
import io.minicluster.testing.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {
  @TempDir
  Path dataDir;
  private InProcessApi api;
  private Client client;
  private Scheduler scheduler;
  private Controller runner;
  private final List<AutoCloseable> wiring = new ArrayList<>();

  @BeforeEach
  void setUp() {
    api = InProcessApi.open(dataDir, Clock.systemUTC());
    client = api.client();
    client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"default\"}}"));
    scheduler = newScheduler(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /**
   * A scheduler as the daemon wires it, with shared informers, queue, recorder, timer and runner of its own (the runner
   * in {@link #runner}, not started).
   */
  private Scheduler newScheduler(Clock clock, Duration flushInterval) {
    return newScheduler(clock, flushInterval, binder -> binder);
  }

  /** A scheduler whose binds go through {@code binding} wrapped around the API's binder. */
  private Scheduler newScheduler(Clock clock, Duration flushInterval, UnaryOperator<Binder> binding) {
    return newScheduler(clock, flushInterval, binding, SchedulingAlgorithm.defaults());
  }

  /** ... and whose attempts run {@code algorithm}. */
  private Scheduler newScheduler(Clock clock, Duration flushInterval, UnaryOperator<Binder> binding,
      SchedulingAlgorithm algorithm) {
    Client schedulerClient = client.as("scheduler");
    SharedInformers informers = new SharedInformers(schedulerClient);
    EventRecorder events = new EventRecorder(schedulerClient, Scheduler.NAME, null, clock);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    ExecutorService binds = Executors.newFixedThreadPool(Scheduler.MAX_BINDS);
    wiring.add(informers);
    wiring.add(events);
    wiring.add(timer::shutdownNow);
    wiring.add(binds::shutdownNow);
    WorkQueue queue = new WorkQueue("scheduler", Scheduler.INITIAL_BACKOFF, Scheduler.MAX_BACKOFF,
        Scheduler.queueOrder(informers));
    Scheduler built = new Scheduler(schedulerClient, clock, binding.apply(new ApiBinder(schedulerClient)),
        algorithm, informers, queue, events, timer, binds, flushInterval);
    runner = new Controller("scheduler", queue, built, built.informers(), Scheduler.WORKERS);
    wiring.add(built);
    wiring.add(runner);
    return built;
  }

  /** Starts the scheduler's flush and its runner, in the wiring's order. */
  private void start() {
    scheduler.start();
    runner.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = wiring.size() - 1; i >= 0; i--) {
      wiring.get(i).close();
    }
    api.close();
  }

  private void createNode(String cpu) {
    client.create(ResourceTypes.NODES, null, Json.parseObject("{\"metadata\":{\"name\":\"node1\"},"
        + "\"status\":{\"capacity\":{\"cpu\":\"" + cpu + "\",\"memory\":\"4Gi\",\"pods\":\"110\"},"
        + "\"allocatable\":{\"cpu\":\"" + cpu + "\",\"memory\":\"4Gi\",\"pods\":\"110\"}}}"));
  }

  private void createPod(String name, String cpu) {
    client.create(ResourceTypes.PODS, "default", Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\""
        + cpu + "\"}}}]}}"));
  }

  private void createPod(String name, String cpu, int priority) {
    client.create(ResourceTypes.PODS, "default", Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"priority\":" + priority + ",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\","
        + "\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\"}}}]}}"));
  }

  private String nodeName(String pod) {
    return pod(pod).path("spec").path("nodeName").asText();
  }

  private ObjectNode pod(String name) {
    return client.get(ResourceTypes.PODS, "default", name);
  }

  private static Optional<JsonNode> scheduledCondition(ObjectNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("PodScheduled")) {
        return Optional.of(condition);
      }
    }
    return Optional.empty();
  }

  private List<ObjectNode> events(String podName, String reason) {
    return client.list(ResourceTypes.EVENTS, "default", ListOptions.ALL).items().stream()
        .filter(e -> e.path("involvedObject").path("name").asText().equals(podName)
            && e.path("reason").asText().equals(reason))
        .toList();
  }

  private static <T> T eventually(Supplier<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T value = probe.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      value = probe.get();
    }
    return value;
  }

  @Test
  void bindsPodsAndRecordsScheduledEvent() throws Exception {
    createNode("2");
    start();
    createPod("web", "500m");

    ObjectNode pod = eventually(() -> pod("web"), p -> !p.path("spec").path("nodeName").asText().isEmpty());

    assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThat(scheduledCondition(pod)).hasValueSatisfying(c -> assertThat(c.path("status").asText())
        .isEqualTo("True"));
    List<ObjectNode> scheduled = eventually(() -> events("web", "Scheduled"), list -> !list.isEmpty());
    assertThat(scheduled).singleElement().satisfies(event -> {
      assertThat(event.path("type").asText()).isEqualTo("Normal");
      assertThat(event.path("message").asText()).isEqualTo("Successfully assigned default/web to node1");
      assertThat(event.path("source").path("component").asText()).isEqualTo("default-scheduler");
    });
  }

  @Test
  void unschedulablePodGetsConditionAndEventAndIsRetriedWhenCapacityFrees() throws Exception {
    createNode("1");
    start();
    createPod("first", "800m");
    eventually(() -> pod("first"), p -> !p.path("spec").path("nodeName").asText().isEmpty());
    createPod("second", "500m");

    ObjectNode pending = eventually(() -> pod("second"), p -> scheduledCondition(p).isPresent());
    String message = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
        + "1 No preemption victims found for incoming pod..";
    assertThat(pending.path("spec").path("nodeName").asText()).isEmpty();
    assertThat(scheduledCondition(pending)).hasValueSatisfying(condition -> {
      assertThat(condition.path("status").asText()).isEqualTo("False");
      assertThat(condition.path("reason").asText()).isEqualTo("Unschedulable");
      assertThat(condition.path("message").asText()).isEqualTo(message);
    });
    List<ObjectNode> failed = eventually(() -> events("second", "FailedScheduling"), list -> !list.isEmpty());
    assertThat(failed.get(0).path("type").asText()).isEqualTo("Warning");
    assertThat(failed.get(0).path("message").asText()).isEqualTo(message);
    // its own status write does not make it retry in a loop
    Thread.sleep(500);
    assertThat(events("second", "FailedScheduling")).singleElement()
        .satisfies(event -> assertThat(event.path("count").asInt()).isEqualTo(1));

    client.delete(ResourceTypes.PODS, "default", "first", DeleteOptions.immediate());

    ObjectNode bound = eventually(() -> pod("second"), p -> !p.path("spec").path("nodeName").asText().isEmpty());
    assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThat(scheduledCondition(bound)).hasValueSatisfying(c -> assertThat(c.path("status").asText())
        .isEqualTo("True"));
  }

  @Test
  void theQueueHandsOutTheHighestPriorityPodFirst() throws Exception {
    createNode("1");
    // queued before the high-priority pods, by creation and by name; only one of them fits
    createPod("a-low", "600m", 10);
    createPod("b-none", "600m");
    createPod("c-high", "600m", 1000);
    start();

    eventually(() -> List.of(pod("a-low"), pod("b-none"), pod("c-high")),
        pods -> pods.stream().allMatch(p -> scheduledCondition(p).isPresent()));

    assertThat(nodeName("c-high")).isEqualTo("node1");
    assertThat(nodeName("a-low")).isEmpty();
    assertThat(nodeName("b-none")).isEmpty();
  }

  @Test
  void aHigherPriorityPodPreemptsTheLowestPriorityPodsItNeedsAndIsBoundWhenTheyAreGone() throws Exception {
    createNode("1");
    start();
    createPod("low", "400m", 10);
    createPod("lowest", "400m", 1);
    eventually(() -> List.of(pod("low"), pod("lowest")),
        pods -> pods.stream().allMatch(p -> !p.path("spec").path("nodeName").asText().isEmpty()));
    createPod("high", "500m", 1000);

    ObjectNode victim = eventually(() -> pod("lowest"), p -> !p.path("metadata").path("deletionTimestamp").isMissingNode());
    assertThat(victim.path("status").path("conditions").findValues("reason").stream().map(JsonNode::asText))
        .as(() -> "victim " + victim + ", low " + pod("low") + ", high " + pod("high")).contains("PreemptionByScheduler");
    String uid = pod("high").path("metadata").path("uid").asText();
    assertThat(eventually(() -> events("lowest", "Preempted"), list -> !list.isEmpty())).singleElement()
        .satisfies(event -> assertThat(event.path("message").asText())
            .isEqualTo("Preempted by pod " + uid + " on node node1"));
    ObjectNode high = eventually(() -> pod("high"),
        p -> p.path("status").path("nominatedNodeName").asText().equals("node1"));
    assertThat(high.path("status").path("nominatedNodeName").asText()).isEqualTo("node1");
    assertThat(scheduledCondition(high).orElseThrow().path("message").asText())
        .isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
    // only what it needs: low (higher priority than lowest) stays
    assertThat(pod("low").path("metadata").path("deletionTimestamp").isMissingNode()).isTrue();
    assertThat(events("low", "Preempted")).isEmpty();

    // the node agent finishes the victim: the preemptor is bound
    client.delete(ResourceTypes.PODS, "default", "lowest", DeleteOptions.immediate());
    ObjectNode bound = eventually(() -> pod("high"), p -> !p.path("spec").path("nodeName").asText().isEmpty());
    assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("node1");
    // the binding clears the stale hint (ClearingNominatedNodeNameAfterBinding, on by default since 1.35)
    assertThat(bound.path("status").path("nominatedNodeName").isMissingNode()).isTrue();
  }

  @Test
  void backToBackPodsDoNotOvercommitTheNode() throws Exception {
    createNode("1");
    start();
    for (int i = 0; i < 4; i++) {
      createPod("p" + i, "400m");
    }

    eventually(() -> List.of(pod("p0"), pod("p1"), pod("p2"), pod("p3")),
        pods -> pods.stream().allMatch(p -> scheduledCondition(p).isPresent()));
    long bound = List.of("p0", "p1", "p2", "p3").stream()
        .filter(name -> !pod(name).path("spec").path("nodeName").asText().isEmpty()).count();
    assertThat(bound).isEqualTo(2);
  }

  @Test
  void theNextPodsFitCountsAPodWhoseBindIsInFlight() throws Exception {
    scheduler.close();
    CountDownLatch bindStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    scheduler = newScheduler(Clock.systemUTC(), Duration.ofSeconds(30), binder -> (pod, nodeName) -> {
      if (pod.metadata().name().equals("first")) {
        bindStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return binder.bind(pod, nodeName);
    });
    createNode("1");
    start();
    createPod("first", "600m");
    assertThat(bindStarted.await(30, TimeUnit.SECONDS)).isTrue();
    createPod("second", "600m");

    // the worker placed nothing on node1 for second while first's bind is still waiting
    ObjectNode pending = eventually(() -> pod("second"), p -> scheduledCondition(p).isPresent());
    assertThat(scheduledCondition(pending)).hasValueSatisfying(condition -> {
      assertThat(condition.path("reason").asText()).isEqualTo("Unschedulable");
      assertThat(condition.path("message").asText()).startsWith("0/1 nodes are available: 1 Insufficient cpu.");
    });
    assertThat(pod("first").path("spec").path("nodeName").asText()).isEmpty();

    release.countDown();
    ObjectNode first = eventually(() -> pod("first"), p -> !p.path("spec").path("nodeName").asText().isEmpty());
    assertThat(first.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThat(eventually(() -> events("first", "Scheduled"), list -> !list.isEmpty())).hasSize(1);
    assertThat(pod("second").path("spec").path("nodeName").asText()).isEmpty();
  }

  @Test
  void aFailedBindReleasesTheAssumptionAndRequeuesThePodAfterItsBackoff() throws Exception {
    scheduler.close();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
    CountDownLatch failed = new CountDownLatch(1);
    AtomicBoolean failNext = new AtomicBoolean(true);
    scheduler = newScheduler(clock, Duration.ZERO, binder -> (pod, nodeName) -> {
      if (pod.metadata().name().equals("first") && failNext.getAndSet(false)) {
        failed.countDown();
        throw ApiException.conflict(ResourceTypes.PODS, "first", "the object has been modified");
      }
      return binder.bind(pod, nodeName);
    });
    createNode("1");
    start();
    createPod("first", "600m");
    assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();

    // first's assumption is gone: second fits on node1
    createPod("second", "600m");
    ObjectNode second = eventually(() -> pod("second"), p -> !p.path("spec").path("nodeName").asText().isEmpty());
    assertThat(second.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThat(attempts("first")).isZero();
    assertThat(pod("first").path("spec").path("nodeName").asText()).isEmpty();

    // first is tried again once its back-off has passed, and no longer fits
    clock.advance(Scheduler.INITIAL_BACKOFF);
    assertThat(eventually(() -> attempts("first"), n -> n == 1)).isEqualTo(1);
    assertThat(pod("first").path("spec").path("nodeName").asText()).isEmpty();
  }

  /** The scheduling attempts that found no node (a failed bind records a FailedScheduling event of its own). */
  private int attempts(String podName) {
    return events(podName, "FailedScheduling").stream()
        .filter(event -> !event.path("message").asText().startsWith("running Bind plugin"))
        .mapToInt(event -> event.path("count").asInt()).sum();
  }

  @Test
  void aFailedBindRecordsTheBindErrorAsSchedulerErrorAndThePodIsBoundOnTheNextAttempt() throws Exception {
    scheduler.close();
    AtomicBoolean failNext = new AtomicBoolean(true);
    scheduler = newScheduler(Clock.systemUTC(), Duration.ofSeconds(30), binder -> (pod, nodeName) -> {
      if (failNext.getAndSet(false)) {
        throw ApiException.conflict(ResourceTypes.PODS, pod.metadata().name(), "the object has been modified");
      }
      return binder.bind(pod, nodeName);
    });
    createNode("1");
    start();
    createPod("web", "100m");

    String message = "running Bind plugin \"DefaultBinder\": Operation cannot be fulfilled on pods \"web\": "
        + "the object has been modified";
    List<ObjectNode> failed = eventually(() -> events("web", "FailedScheduling"), list -> !list.isEmpty());
    assertThat(failed).singleElement().satisfies(event -> {
      assertThat(event.path("type").asText()).isEqualTo("Warning");
      assertThat(event.path("message").asText()).isEqualTo(message);
    });
    ObjectNode bound = eventually(() -> pod("web"), p -> !p.path("spec").path("nodeName").asText().isEmpty());
    assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThat(scheduledCondition(bound)).hasValueSatisfying(c -> assertThat(c.path("status").asText())
        .isEqualTo("True"));
    assertThat(eventually(() -> events("web", "Scheduled"), list -> !list.isEmpty())).hasSize(1);
  }

  @Test
  void aFailedBindSetsPodScheduledFalseWithReasonSchedulerError() throws Exception {
    scheduler.close();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
    scheduler = newScheduler(clock, Duration.ZERO, binder -> (pod, nodeName) -> {
      throw ApiException.conflict(ResourceTypes.PODS, pod.metadata().name(), "the object has been modified");
    });
    createNode("1");
    start();
    createPod("web", "100m");

    ObjectNode pending = eventually(() -> pod("web"), p -> scheduledCondition(p).isPresent());
    assertThat(scheduledCondition(pending)).hasValueSatisfying(condition -> {
      assertThat(condition.path("status").asText()).isEqualTo("False");
      assertThat(condition.path("reason").asText()).isEqualTo("SchedulerError");
      assertThat(condition.path("message").asText()).isEqualTo("running Bind plugin \"DefaultBinder\": "
          + "Operation cannot be fulfilled on pods \"web\": the object has been modified");
    });
    // requeued with back-off: tried again once the clock has passed it
    clock.advance(Scheduler.INITIAL_BACKOFF);
    List<ObjectNode> failed = eventually(() -> events("web", "FailedScheduling"),
        list -> list.stream().mapToInt(e -> e.path("count").asInt()).sum() == 2);
    assertThat(failed.stream().mapToInt(e -> e.path("count").asInt()).sum()).isEqualTo(2);
  }

  @Test
  void anUnschedulablePodIsRetriedOnClusterEventsNoFasterThanItsBackoff() throws Exception {
    createNode("100m");
    start();
    long created = System.nanoTime();
    createPod("big", "500m");
    eventually(() -> attempts("big"), n -> n == 1);
    // a storm of relevant cluster events (node label changes) for two seconds (longer on a loaded machine)
    for (int i = 0; i < 40; i++) {
      int round = i;
      client.modify(ResourceTypes.NODES, null, "node1", node -> {
        Json.with(Json.with(node, "metadata"), "labels").put("round", Integer.toString(round));
        return node;
      });
      Thread.sleep(50);
    }
    // tried again 1 s after the first attempt and 2 s after the second (events came during its back-off), not once
    // per event: at most as many attempts as back-offs fit in the time since the pod was created (3 when the storm
    // took its two seconds; a loaded machine stretches the storm, and the back-offs that fit in it)
    Thread.sleep(3500);
    int seen = eventually(() -> attempts("big"), n -> n >= 2);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - created);
    assertThat(seen).as("attempts within %s", elapsed).isBetween(2, attemptsAllowedWithin(elapsed));
  }

  /** The first attempt and one more each time a back-off (1 s doubling to 10 s) has elapsed since the previous one. */
  private static int attemptsAllowedWithin(Duration elapsed) {
    int attempts = 1;
    Duration next = Scheduler.INITIAL_BACKOFF;
    for (Duration spent = next; spent.compareTo(elapsed) <= 0; spent = spent.plus(next)) {
      attempts++;
      next = next.multipliedBy(2).compareTo(Scheduler.MAX_BACKOFF) >= 0 ? Scheduler.MAX_BACKOFF : next.multipliedBy(2);
    }
    return attempts;
  }

  @Test
  void aClusterEventDuringAFailedAttemptBringsThePodBackWithoutWaitingForAnother() throws Exception {
    scheduler.close();
    // the first attempt fails, and a node change (a cluster event that may make room) arrives while it runs, before
    // the pod is recorded as unschedulable: as kube-scheduler's moveRequestCycle, the pod is tried again after its
    // back-off instead of waiting five minutes for the next event
    AtomicBoolean first = new AtomicBoolean(true);
    FilterPlugin eventDuringAttempt = new FilterPlugin() {
      @Override
      public String name() {
        return "EventDuringAttempt";
      }

      @Override
      public Status filter(Pod pod, NodeInfo node) {
        if (!first.getAndSet(false)) {
          return Status.SUCCESS;
        }
        client.modify(ResourceTypes.NODES, null, "node1", changed -> {
          Json.with(Json.with(changed, "metadata"), "labels").put("zone", "b");
          return changed;
        });
        try {
          Thread.sleep(500); // the scheduler's node informer delivers the change meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Status.unschedulable("not yet");
      }
    };
    scheduler = newScheduler(Clock.systemUTC(), Duration.ofSeconds(30), binder -> binder,
        new SchedulingAlgorithm(List.of(eventDuringAttempt), List.of()));
    createNode("1");
    start();
    createPod("web", "100m");
    assertThat(eventually(() -> nodeName("web"), "node1"::equals)).isEqualTo("node1");
  }

  @Test
  void withoutClusterEventsAnUnschedulablePodWaitsFiveMinutes() throws Exception {
    scheduler.close();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
    scheduler = newScheduler(clock, Duration.ZERO);
    createNode("100m");
    start();
    createPod("big", "500m");
    eventually(() -> attempts("big"), n -> n == 1);
    clock.advance(Duration.ofMinutes(4));
    scheduler.flushUnschedulable();
    Thread.sleep(500);
    assertThat(attempts("big")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    scheduler.flushUnschedulable();
    assertThat(eventually(() -> attempts("big"), n -> n == 2)).isEqualTo(2);
  }

  @Test
  void newNodeMakesPendingPodSchedulable() throws Exception {
    start();
    createPod("web", "100m");
    ObjectNode pending = eventually(() -> pod("web"), p -> scheduledCondition(p).isPresent());
    assertThat(scheduledCondition(pending).orElseThrow().path("message").asText())
        .isEqualTo("no nodes available to schedule pods");

    createNode("1");

    ObjectNode bound = eventually(() -> pod("web"), p -> !p.path("spec").path("nodeName").asText().isEmpty());
    assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("node1");
  }
}
