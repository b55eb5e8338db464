package io.minicluster.client;

import static io.minicluster.testing.ScriptedListWatch.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.testing.ScriptedListWatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ControllerTest {
  private final ScriptedListWatch api = new ScriptedListWatch();
  private final SharedInformers informers = new SharedInformers(api, Duration.ofMillis(10));
  private final WorkQueue queue = new WorkQueue("test", Duration.ofMillis(5), Duration.ofMillis(20));
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final ExecutorService aside = Executors.newCachedThreadPool();
  private Controller controller;

  @AfterEach
  void tearDown() {
    if (controller != null) {
      controller.close();
    }
    aside.shutdownNow();
    informers.close();
  }

  private int calls(String key) {
    return calls.computeIfAbsent(key, k -> new AtomicInteger()).get();
  }

  private void count(String key) {
    calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  @Test
  void workersStartOnlyOnceTheInformersSynced() throws Exception {
    api.put(ResourceTypes.PODS, object("default", "a", "{}"));
    api.failLists(3);
    Informer<ObjectNode> pods = informers.informer(Kind.tree(ResourceTypes.PODS));
    List<Boolean> syncedWhenCalled = new CopyOnWriteArrayList<>();
    queue.add("default/a");
    controller = new Controller("test", queue, key -> {
      syncedWhenCalled.add(pods.hasSynced());
      count(key);
      return 0;
    }, List.of(pods), 2);
    controller.start();
    Eventually.assertThat(() -> assertThat(calls("default/a")).isEqualTo(1));
    assertThat(syncedWhenCalled).containsExactly(true);
    assertThat(api.lists(ResourceTypes.PODS)).isEqualTo(4);
  }

  @Test
  void aKeyInFlightOnAWorkerShowsOnTheHeartbeatUntilItsReconcileReturns() throws Exception {
    Informer<ObjectNode> pods = informers.informer(Kind.tree(ResourceTypes.PODS));
    CountDownLatch reconciling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    queue.add("default/a");
    controller = new Controller("test", queue, key -> {
      reconciling.countDown();
      release.await();
      count(key);
      return 0;
    }, List.of(pods), 1);
    assertThat(controller.heartbeat().name()).isEqualTo("controller-test");
    assertThat(controller.heartbeat().longestBusy()).isEmpty();
    controller.start();

    assertThat(reconciling.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(controller.heartbeat().longestBusy())
        .hasValueSatisfying(busy -> assertThat(busy.thread()).isEqualTo("test-worker-0"));
    release.countDown();
    Eventually.assertThat(() -> assertThat(calls("default/a")).isEqualTo(1));
    Eventually.assertThat(() -> assertThat(controller.heartbeat().longestBusy()).isEmpty());
  }

  @Test
  void workersRunDifferentKeysInParallelButNeverOneKeyTwiceAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
    AtomicInteger sameKeyOverlaps = new AtomicInteger();
    controller = new Controller("test", queue, key -> {
      int now = running.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      if (runningPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
        sameKeyOverlaps.incrementAndGet();
      }
      try {
        release.await(30, TimeUnit.SECONDS);
        count(key);
        return 0;
      } finally {
        runningPerKey.get(key).decrementAndGet();
        running.decrementAndGet();
      }
    }, List.of(), 3);
    controller.start();
    queue.add("a");
    queue.add("b");
    queue.add("c");
    queue.add("d");
    Eventually.assertThat(() -> assertThat(running.get()).isEqualTo(3));
    queue.add("a"); // while "a" is in flight
    assertThat(queue.length()).isEqualTo(1); // "d" waits for a free worker, "a" for itself
    release.countDown();
    Eventually.assertThat(() -> {
      assertThat(calls("a")).isEqualTo(2);
      assertThat(calls("b") + calls("c") + calls("d")).isEqualTo(3);
    });
    assertThat(mostAtOnce.get()).isEqualTo(3);
    assertThat(sameKeyOverlaps.get()).isZero();
  }

  @Test
  void failuresAreRetriedWithBackOffAndForgottenOnSuccess() throws Exception {
    controller = new Controller("test", queue, key -> {
      count(key);
      if (calls(key) == 1) {
        throw new IllegalStateException("first attempt fails");
      }
      if (calls(key) == 2) {
        throw ApiException.conflict(ResourceTypes.PODS, "a", "the object has been modified");
      }
      return 0;
    }, List.of(), 1);
    controller.start();
    queue.add("a");
    Eventually.assertThat(() -> assertThat(calls("a")).isEqualTo(3));
    Eventually.assertThat(() -> assertThat(queue.failures("a")).isZero());
  }

  @Test
  void aPositiveResultCallsTheKeyAgainLater() throws Exception {
    controller = new Controller("test", queue, key -> {
      count(key);
      return calls(key) < 3 ? 10 : 0;
    }, List.of(), 1);
    controller.start();
    queue.add("a");
    Eventually.assertThat(() -> assertThat(calls("a")).isEqualTo(3));
  }

  @Test
  void slowKeysRunAsideWithoutHoldingUpTheWorker() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowRunning = new AtomicInteger();
    AtomicInteger slowOverlaps = new AtomicInteger();
    controller = new Controller("test", queue, key -> {
      if (key.startsWith("slow")) {
        if (slowRunning.incrementAndGet() > 1) {
          slowOverlaps.incrementAndGet();
        }
        try {
          release.await(30, TimeUnit.SECONDS);
        } finally {
          slowRunning.decrementAndGet();
        }
      }
      count(key);
      return 0;
    }, List.of(), 1, new Controller.Offload(key -> key.startsWith("slow"), aside));
    controller.start();
    queue.add("slow");
    Eventually.assertThat(() -> assertThat(slowRunning.get()).isEqualTo(1));
    queue.add("fast");
    queue.add("slow"); // in flight aside: waits
    Eventually.assertThat(() -> assertThat(calls("fast")).isEqualTo(1));
    assertThat(calls("slow")).isZero();
    release.countDown();
    Eventually.assertThat(() -> assertThat(calls("slow")).isEqualTo(2));
    assertThat(slowOverlaps.get()).isZero();
  }

  @Test
  void closeEndsTheWorkers() throws Exception {
    controller = new Controller("test", queue, key -> {
      count(key);
      return 0;
    }, List.of(), 2);
    controller.start();
    queue.add("a");
    Eventually.assertThat(() -> assertThat(calls("a")).isEqualTo(1));
    controller.close();
    assertThat(controller.awaitTermination(Duration.ofSeconds(5))).isTrue();
    queue.add("b");
    assertThat(queue.length()).isZero();
    assertThat(calls("b")).isZero();
  }
}
