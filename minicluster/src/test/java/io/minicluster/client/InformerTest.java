package io.minicluster.client;

import static io.minicluster.testing.ScriptedListWatch.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.testing.ScriptedListWatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InformerTest {
  /** A typed read model of the tests: immutable, decoded from the tree. */
  record PodView(String name, String phase, String resourceVersion) {}

  private static final AtomicInteger DECODES = new AtomicInteger();
  private static final Kind<PodView> POD_VIEWS = new Kind<>(ResourceTypes.PODS, tree -> {
    DECODES.incrementAndGet();
    return new PodView(Meta.name(tree), tree.path("status").path("phase").asText(""), Meta.resourceVersion(tree));
  });

  private final ScriptedListWatch api = new ScriptedListWatch();
  private final SharedInformers informers = new SharedInformers(api, Duration.ofMillis(10));

  @AfterEach
  void tearDown() {
    informers.close();
  }

  /** Records the events a handler receives as "add name", "update name old->new phase", "delete name". */
  private static final class Recorder implements Informer.Handler<PodView> {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAdd(PodView pod) {
      events.add("add " + pod.name() + " " + pod.phase());
    }

    @Override
    public void onUpdate(PodView old, PodView pod) {
      events.add("update " + pod.name() + " " + old.phase() + "->" + pod.phase());
    }

    @Override
    public void onDelete(PodView pod) {
      events.add("delete " + pod.name() + " " + pod.phase());
    }
  }

  private static ObjectNode pod(String name, String phase) {
    return object("default", name, "{\"status\":{\"phase\":\"" + phase + "\"}}");
  }

  private Informer<PodView> started(Recorder recorder) throws InterruptedException {
    Informer<PodView> informer = informers.informer(POD_VIEWS);
    informer.addHandler(recorder);
    informer.start();
    assertThat(informer.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    return informer;
  }

  /** Started on pods "same", "changed" and "gone", watching, with the recorder cleared of the first adds. */
  private Informer<PodView> startedOnSameChangedAndGone(Recorder recorder) throws InterruptedException {
    api.put(ResourceTypes.PODS, pod("same", "Running"));
    api.put(ResourceTypes.PODS, pod("changed", "Pending"));
    api.put(ResourceTypes.PODS, pod("gone", "Running"));
    Informer<PodView> informer = started(recorder);
    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isEqualTo(1));
    recorder.events.clear();
    return informer;
  }

  @Test
  void listsThenWatchesFromTheListsRevision() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    api.put(ResourceTypes.PODS, pod("b", "Running"));
    Recorder recorder = new Recorder();
    Informer<PodView> informer = started(recorder);

    assertThat(recorder.events).containsExactlyInAnyOrder("add a Pending", "add b Running");
    assertThat(informer.list()).extracting(PodView::name).containsExactlyInAnyOrder("a", "b");
    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isEqualTo(1));

    api.put(ResourceTypes.PODS, pod("c", "Pending"));
    api.put(ResourceTypes.PODS, pod("a", "Running"));
    api.delete(ResourceTypes.PODS, "default", "b");
    Eventually.assertThat(() -> assertThat(recorder.events).hasSize(5));
    assertThat(recorder.events.subList(2, 5)).containsExactly("add c Pending", "update a Pending->Running",
        "delete b Running");
    assertThat(informer.get("default", "a")).map(PodView::phase).contains("Running");
    assertThat(informer.get("default", "b")).isEmpty();
    assertThat(informer.list("default")).extracting(PodView::name).containsExactlyInAnyOrder("a", "c");
    assertThat(informer.list("other")).isEmpty();
    assertThat(api.lists(ResourceTypes.PODS)).isEqualTo(1);
    assertThat(api.watches(ResourceTypes.PODS)).isEqualTo(1);
  }

  @Test
  void relistsWhenTheWatchEndsAndEmitsOnlyTheDifferences() throws Exception {
    Recorder recorder = new Recorder();
    Informer<PodView> informer = startedOnSameChangedAndGone(recorder);

    // changes whose events were lost with the watch
    api.putQuietly(ResourceTypes.PODS, pod("changed", "Running"));
    api.deleteQuietly(ResourceTypes.PODS, "default", "gone");
    api.putQuietly(ResourceTypes.PODS, pod("new", "Pending"));
    api.closeWatches(ResourceTypes.PODS);

    Eventually.assertThat(() -> assertThat(recorder.events).containsExactlyInAnyOrder(
        "update changed Pending->Running", "delete gone Running", "add new Pending"));
    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isEqualTo(1));
    assertThat(api.lists(ResourceTypes.PODS)).isEqualTo(2);
    assertThat(informer.list()).extracting(PodView::name).containsExactlyInAnyOrder("same", "changed", "new");
  }

  @Test
  void relistsAfter410Expired() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    Recorder recorder = new Recorder();
    started(recorder);
    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isEqualTo(1));

    api.putQuietly(ResourceTypes.PODS, pod("a", "Succeeded"));
    api.expireWatches(ResourceTypes.PODS);

    Eventually.assertThat(() -> assertThat(recorder.events).containsExactly("add a Pending",
        "update a Pending->Succeeded"));
    Eventually.assertThat(() -> assertThat(api.watches(ResourceTypes.PODS)).isEqualTo(2));
    // the new watch delivers again
    api.put(ResourceTypes.PODS, pod("b", "Pending"));
    Eventually.assertThat(() -> assertThat(recorder.events).endsWith("add b Pending"));
  }

  @Test
  void retriesAFailedList() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    api.failLists(2);
    Recorder recorder = new Recorder();
    Informer<PodView> informer = started(recorder);
    assertThat(api.lists(ResourceTypes.PODS)).isEqualTo(3);
    assertThat(informer.get("default", "a")).isPresent();
  }

  @Test
  void twoKindsOfOneTypeShareOneListAndWatch() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    Informer<PodView> typed = informers.informer(POD_VIEWS);
    Informer<ObjectNode> trees = informers.informer(Kind.tree(ResourceTypes.PODS));
    typed.start();
    trees.start();
    assertThat(typed.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    assertThat(trees.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    api.put(ResourceTypes.PODS, pod("b", "Pending"));
    Eventually.assertThat(() -> {
      assertThat(typed.list()).hasSize(2);
      assertThat(trees.list()).hasSize(2);
    });
    assertThat(api.lists(ResourceTypes.PODS)).isEqualTo(1);
    assertThat(api.watches(ResourceTypes.PODS)).isEqualTo(1);
    assertThat(informers.informer(Kind.tree(ResourceTypes.PODS))).isSameAs(trees);
  }

  @Test
  void decodesEachVersionOncePerKindWhateverTheNumberOfConsumers() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    List<PodView> seen = new CopyOnWriteArrayList<>();
    Informer<PodView> first = informers.informer(POD_VIEWS);
    Informer<PodView> second = informers.informer(POD_VIEWS);
    assertThat(second).isSameAs(first);
    first.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(PodView pod) {
        seen.add(pod);
      }

      @Override
      public void onUpdate(PodView old, PodView pod) {
        seen.add(old);
        seen.add(pod);
      }
    });
    Recorder other = new Recorder();
    second.addHandler(other);
    int before = DECODES.get();
    first.start();
    assertThat(first.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    api.put(ResourceTypes.PODS, pod("a", "Running"));
    Eventually.assertThat(() -> assertThat(other.events).hasSize(2));
    // two versions, two decodes: the update's old value is the one decoded for the add, the cache holds the last
    assertThat(DECODES.get() - before).isEqualTo(2);
    assertThat(seen.get(1)).isSameAs(seen.get(0));
    assertThat(first.get("default", "a")).containsSame(seen.get(2));
    // a relist that finds the same version decodes nothing
    api.closeWatches(ResourceTypes.PODS);
    Eventually.assertThat(() -> assertThat(api.lists(ResourceTypes.PODS)).isEqualTo(2));
    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isEqualTo(1));
    assertThat(DECODES.get() - before).isEqualTo(2);
    assertThat(other.events).hasSize(2);
  }

  @Test
  void aTreeConsumersCopyIsNotTheInformersOwn() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    Informer<ObjectNode> trees = informers.informer(Kind.tree(ResourceTypes.PODS));
    trees.start();
    assertThat(trees.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    ObjectNode copy = trees.get("default", "a").orElseThrow();
    copy.with("status").put("phase", "Mangled");

    // a kind created later decodes the informer's tree, not the consumer's copy
    Informer<PodView> typed = informers.informer(POD_VIEWS);
    assertThat(typed.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    assertThat(typed.get("default", "a")).map(PodView::phase).contains("Pending");
  }

  @Test
  void aKindCreatedAfterTheStartGetsEveryObjectFromAReListAndTheOthersOnlyTheDifferences() throws Exception {
    Recorder early = new Recorder();
    startedOnSameChangedAndGone(early);
    // changes the running watch has not delivered yet: the re-list finds them
    api.putQuietly(ResourceTypes.PODS, pod("changed", "Running"));
    api.deleteQuietly(ResourceTypes.PODS, "default", "gone");

    Kind<PodView> lateKind = new Kind<>(ResourceTypes.PODS, tree -> new PodView(Meta.name(tree), "late", ""));
    Informer<PodView> late = informers.informer(lateKind);
    Recorder lateRecorder = new Recorder();
    late.addHandler(lateRecorder);
    assertThat(late.waitForSync(10, TimeUnit.SECONDS)).isTrue();

    Eventually.assertThat(() -> assertThat(lateRecorder.events).containsExactlyInAnyOrder("add same late",
        "add changed late"));
    Eventually.assertThat(() -> assertThat(early.events).containsExactlyInAnyOrder(
        "update changed Pending->Running", "delete gone Running"));
    assertThat(api.lists(ResourceTypes.PODS)).isEqualTo(2);
    // one watch again, delivering to both
    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isEqualTo(1));
    api.put(ResourceTypes.PODS, pod("new", "Pending"));
    Eventually.assertThat(() -> assertThat(lateRecorder.events).endsWith("add new late"));
    Eventually.assertThat(() -> assertThat(early.events).endsWith("add new Pending"));
  }

  @Test
  void aHandlerAddedAfterTheStartGetsTheCachedObjectsOnce() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    Informer<PodView> informer = started(new Recorder());
    Recorder late = new Recorder();
    informer.addHandler(late);
    api.put(ResourceTypes.PODS, pod("b", "Pending"));
    Eventually.assertThat(() -> assertThat(late.events).containsExactly("add a Pending", "add b Pending"));
  }

  @Test
  void aFailingHandlerDoesNotStopTheOthers() throws Exception {
    Informer<PodView> informer = informers.informer(POD_VIEWS);
    informer.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(PodView pod) {
        throw new IllegalStateException("handler bug");
      }
    });
    Recorder after = new Recorder();
    started(after);
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    api.put(ResourceTypes.PODS, pod("a", "Running"));
    Eventually.assertThat(() -> assertThat(after.events).containsExactly("add a Pending",
        "update a Pending->Running"));
  }

  @Test
  void aStoppedTypeClosesItsWatchAndALaterInformerOfItIsNew() throws Exception {
    api.put(ResourceTypes.PODS, pod("a", "Pending"));
    Informer<PodView> first = started(new Recorder());
    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isEqualTo(1));

    informers.stop(ResourceTypes.PODS);

    Eventually.assertThat(() -> assertThat(api.openWatches(ResourceTypes.PODS)).isZero());
    Recorder recorder = new Recorder();
    Informer<PodView> second = started(recorder);
    assertThat(second).isNotSameAs(first);
    assertThat(recorder.events).containsExactly("add a Pending");
  }
}
