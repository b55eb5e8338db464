package io.minicluster.store;

import static io.minicluster.store.RecordingListener.awaitTrue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.health.Heartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dataDir;

  private final List<SqliteStore> opened = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    opened.forEach(SqliteStore::close);
  }

  private SqliteStore open(SqliteStore.Options options) {
    SqliteStore store = SqliteStore.open(dataDir, options);
    opened.add(store);
    return store;
  }

  private SqliteStore open() {
    return open(SqliteStore.Options.defaults().withProgressInterval(Duration.ZERO));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static String text(byte[] value) {
    return new String(value, UTF_8);
  }

  @Test
  void createUpdateDeleteFollowCompareAndSwapRules() {
    SqliteStore store = open();

    Store.Entry created = store.create("/a", bytes("v1"));
    assertThat(created.revision()).isEqualTo(1);
    assertThat(created.createRevision()).isEqualTo(1);
    assertThatThrownBy(() -> store.create("/a", bytes("again"))).isInstanceOf(StoreException.AlreadyExists.class);

    assertThatThrownBy(() -> store.update("/a", 7, bytes("v2")))
        .isInstanceOfSatisfying(StoreException.Conflict.class, e -> assertThat(e.actualRevision()).isEqualTo(1));
    Store.Entry updated = store.update("/a", 1, bytes("v2"));
    assertThat(updated.revision()).isEqualTo(2);
    assertThat(updated.createRevision()).isEqualTo(1);
    Store.Entry updatedAny = store.update("/a", 0, bytes("v3"));
    assertThat(updatedAny.revision()).isEqualTo(3);
    assertThat(text(store.get("/a").orElseThrow().value())).isEqualTo("v3");

    assertThatThrownBy(() -> store.update("/missing", 0, bytes("x"))).isInstanceOf(StoreException.NotFound.class);
    assertThatThrownBy(() -> store.delete("/missing", 0)).isInstanceOf(StoreException.NotFound.class);
    assertThatThrownBy(() -> store.delete("/a", 2)).isInstanceOf(StoreException.Conflict.class);

    Store.Entry deleted = store.delete("/a", 3);
    assertThat(deleted.revision()).isEqualTo(4);
    assertThat(deleted.createRevision()).isEqualTo(1);
    assertThat(text(deleted.value())).isEqualTo("v3");
    assertThat(store.get("/a")).isEmpty();
    assertThat(store.revision()).isEqualTo(4);

    Store.Entry recreated = store.create("/a", bytes("new"));
    assertThat(recreated.revision()).isEqualTo(5);
    assertThat(recreated.createRevision()).isEqualTo(5);
  }

  @Test
  void callerMutatingItsArrayDoesNotChangeTheStoredValue() {
    SqliteStore store = open();
    byte[] value = bytes("original");
    store.create("/a", value);
    value[0] = 'X';
    assertThat(text(store.get("/a").orElseThrow().value())).isEqualTo("original");
  }

  @Test
  void oneBatchAppliesOperationsInOrderAndFailedOnesDoNotAffectOthers() throws Exception {
    SqliteStore store = open();
    store.create("/existing", bytes("e"));
    long commitsBefore = store.statistics().commits();

    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> held =
        store.runOnWriter(
            () -> {
              holding.countDown();
              awaitLatch(release);
            });
    List<Future<Object>> results = new ArrayList<>();
    try {
      assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
      // Submitted one after another so that the queue order is known.
      results.add(submitAndWaitQueued(store, () -> store.create("/k", bytes("1"))));
      results.add(submitAndWaitQueued(store, () -> store.create("/k", bytes("dup"))));
      results.add(submitAndWaitQueued(store, () -> store.update("/k", 2, bytes("2"))));
      results.add(submitAndWaitQueued(store, () -> store.update("/existing", 99, bytes("bad"))));
      results.add(submitAndWaitQueued(store, () -> store.delete("/k", 0)));
      results.add(submitAndWaitQueued(store, () -> store.create("/k", bytes("3"))));
    } finally {
      release.countDown();
    }
    held.get(10, TimeUnit.SECONDS);

    assertThat(((Store.Entry) results.get(0).get()).revision()).isEqualTo(2);
    assertThat(results.get(1).get()).isInstanceOf(StoreException.AlreadyExists.class);
    assertThat(((Store.Entry) results.get(2).get()).revision()).isEqualTo(3);
    assertThat(results.get(3).get()).isInstanceOf(StoreException.Conflict.class);
    assertThat(((Store.Entry) results.get(4).get()).revision()).isEqualTo(4);
    Store.Entry last = (Store.Entry) results.get(5).get();
    assertThat(last.revision()).isEqualTo(5);
    assertThat(last.createRevision()).isEqualTo(5);
    assertThat(store.statistics().commits() - commitsBefore).isEqualTo(1);
    assertThat(text(store.get("/k").orElseThrow().value())).isEqualTo("3");
    assertThat(text(store.get("/existing").orElseThrow().value())).isEqualTo("e");

    store.close();
    SqliteStore reopened = open();
    assertThat(text(reopened.get("/k").orElseThrow().value())).isEqualTo("3");
    assertThat(reopened.get("/k").orElseThrow().createRevision()).isEqualTo(5);
    assertThat(reopened.revision()).isEqualTo(5);
  }

  private Future<Object> submitAndWaitQueued(SqliteStore store, Callable<Object> call) throws InterruptedException {
    int before = store.queuedTasks();
    Future<Object> future =
        threads.submit(
            () -> {
              try {
                return call.call();
              } catch (StoreException e) {
                return e;
              }
            });
    awaitTrue(() -> store.queuedTasks() > before, WAIT);
    return future;
  }

  @Test
  void theWriterAndTheWatchFanOutReportTheWorkTheyHaveInFlight() throws Exception {
    SqliteStore store = open();
    Heartbeat writer = store.heartbeats().get(0);
    Heartbeat watch = store.heartbeats().get(1);
    assertThat(List.of(writer.name(), watch.name())).containsExactly("store-writer", "store-watch");
    assertThat(writer.longestBusy()).isEmpty();

    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> held = store.runOnWriter(() -> {
      holding.countDown();
      awaitLatch(release);
    });
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.longestBusy()).hasValueSatisfying(busy -> assertThat(busy.thread()).isEqualTo("store-writer"));
    release.countDown();
    held.get(10, TimeUnit.SECONDS);
    awaitTrue(() -> writer.longestBusy().isEmpty(), WAIT);

    CountDownLatch delivering = new CountDownLatch(1);
    CountDownLatch releaseListener = new CountDownLatch(1);
    store.watch("/h/", store.revision(), event -> {
      delivering.countDown();
      awaitLatch(releaseListener);
    });
    store.create("/h/a", bytes("1"));
    assertThat(delivering.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.longestBusy()).hasValueSatisfying(busy -> assertThat(busy.thread()).startsWith("store-watch-"));
    releaseListener.countDown();
    awaitTrue(() -> watch.longestBusy().isEmpty(), WAIT);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
    SqliteStore store = open();
    List<Future<Boolean>> futures = new ArrayList<>();
    for (int index = 0; index < 16; index++) {
      futures.add(
          threads.submit(
              () -> {
                try {
                  store.create("/contested", bytes("x"));
                  return true;
                } catch (StoreException.AlreadyExists e) {
                  return false;
                }
              }));
    }
    int winners = 0;
    for (Future<Boolean> future : futures) {
      winners += future.get() ? 1 : 0;
    }
    assertThat(winners).isEqualTo(1);
    assertThat(store.revision()).isEqualTo(1);
  }

  @Test
  void manyConcurrentWritersShareCommits() throws Exception {
    SqliteStore store = open();
    int writers = 32;
    int perWriter = 50;
    List<Future<?>> futures = new ArrayList<>();
    for (int writer = 0; writer < writers; writer++) {
      int id = writer;
      futures.add(
          threads.submit(
              () -> {
                for (int index = 0; index < perWriter; index++) {
                  store.create("/w/" + id + "/" + index, bytes("v"));
                }
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    SqliteStore.Statistics statistics = store.statistics();
    assertThat(statistics.writes()).isEqualTo(writers * perWriter);
    assertThat(statistics.revision()).isEqualTo(writers * perWriter);
    assertThat(statistics.commits()).isLessThan(statistics.writes() / 2);
  }

  @Test
  void listPagesInKeyOrderWithStartAfterLimitAndMore() {
    SqliteStore store = open();
    for (String name : List.of("d", "a", "c", "e", "b")) {
      store.create("/registry/things/ns/" + name, bytes(name));
    }
    store.create("/registry/other/ns/z", bytes("z"));

    Store.ListResult first = store.list("/registry/things/", null, 2);
    assertThat(first.entries()).extracting(Store.Entry::key)
        .containsExactly("/registry/things/ns/a", "/registry/things/ns/b");
    assertThat(first.more()).isTrue();
    assertThat(first.revision()).isEqualTo(6);

    Store.ListResult second = store.list("/registry/things/", "/registry/things/ns/b", 2);
    assertThat(second.entries()).extracting(Store.Entry::key)
        .containsExactly("/registry/things/ns/c", "/registry/things/ns/d");
    assertThat(second.more()).isTrue();

    Store.ListResult third = store.list("/registry/things/", "/registry/things/ns/d", 2);
    assertThat(third.entries()).extracting(Store.Entry::key).containsExactly("/registry/things/ns/e");
    assertThat(third.more()).isFalse();

    Store.ListResult exact = store.list("/registry/things/", null, 5);
    assertThat(exact.entries()).hasSize(5);
    assertThat(exact.more()).isFalse();

    assertThat(store.list("/registry/things/", null, 0).entries()).hasSize(5);
    assertThat(store.list("/registry/", null, 0).entries()).hasSize(6);
    assertThat(store.list("/registry/things/", "/registry/things/ns/e", 0).entries()).isEmpty();
    assertThat(store.list("/registry/nothing/", null, 0).entries()).isEmpty();
    // A startAfter before the prefix starts at the prefix.
    assertThat(store.list("/registry/things/", "/a", 1).entries()).extracting(Store.Entry::key)
        .containsExactly("/registry/things/ns/a");
  }

  @Test
  void prefixesEndingInSlashDoNotMatchSiblingNamespaces() throws Exception {
    SqliteStore store = open();
    store.create("/registry/core/pods/default/web", bytes("1"));
    store.create("/registry/core/pods/default2/web", bytes("2"));
    store.create("/registry/core/pods/default-x/web", bytes("3"));
    store.create("/registry/core/pods/defaulu/web", bytes("4"));

    assertThat(store.list("/registry/core/pods/default/", null, 0).entries()).extracting(Store.Entry::key)
        .containsExactly("/registry/core/pods/default/web");

    RecordingListener listener = new RecordingListener();
    store.watch("/registry/core/pods/default/", 0, listener);
    store.create("/registry/core/pods/default2/db", bytes("5"));
    store.create("/registry/core/pods/default/db", bytes("6"));
    awaitTrue(() -> listener.events.size() == 2, WAIT);
    assertThat(listener.events).extracting(Store.Event::key)
        .containsExactly("/registry/core/pods/default/web", "/registry/core/pods/default/db");
  }

  @Test
  void watchDeliversConcurrentWritesInRevisionOrderWithoutGapsOrDuplicates() throws Exception {
    SqliteStore store = open();
    store.create("/before", bytes("x"));
    long start = store.revision();
    RecordingListener all = new RecordingListener();
    RecordingListener half = new RecordingListener();
    store.watch("/w/", start, all);
    store.watch("/w/even/", start, half);

    int writers = 8;
    int perWriter = 100;
    List<Future<?>> futures = new ArrayList<>();
    for (int writer = 0; writer < writers; writer++) {
      String group = writer % 2 == 0 ? "even" : "odd";
      int id = writer;
      futures.add(
          threads.submit(
              () -> {
                for (int index = 0; index < perWriter; index++) {
                  String key = "/w/" + group + "/" + id + "/" + index;
                  Store.Entry entry = store.create(key, bytes("v"));
                  store.update(key, entry.revision(), bytes("v2"));
                }
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    int total = writers * perWriter * 2;
    awaitTrue(() -> all.events.size() == total && half.events.size() == total / 2, WAIT);
    for (int index = 0; index < total; index++) {
      assertThat(all.events.get(index).revision()).isEqualTo(start + 1 + index);
    }
    assertThat(half.events).allSatisfy(event -> assertThat(event.key()).startsWith("/w/even/"));
    for (int index = 1; index < half.events.size(); index++) {
      assertThat(half.events.get(index).revision()).isGreaterThan(half.events.get(index - 1).revision());
    }
    assertThat(all.events).filteredOn(event -> event.type() == Store.Event.Type.ADDED).hasSize(total / 2);
    assertThat(all.events).filteredOn(event -> event.type() == Store.Event.Type.MODIFIED).hasSize(total / 2);
  }

  @Test
  void watchReplaysHistoryThenLiveEventsThenReportsProgress() throws Exception {
    SqliteStore store = open();
    Store.Entry a = store.create("/p/a", bytes("a1"));
    store.create("/q/b", bytes("b1"));
    store.update("/p/a", a.revision(), bytes("a2"));
    store.delete("/p/a", 0);
    store.create("/p/c", bytes("c1"));

    RecordingListener listener = new RecordingListener();
    store.watch("/p/", a.revision(), listener);
    awaitTrue(() -> !listener.progress.isEmpty(), WAIT);
    assertThat(listener.sequence).containsExactly("E:3", "E:4", "E:5", "P:5");
    assertThat(listener.events).extracting(Store.Event::type)
        .containsExactly(Store.Event.Type.MODIFIED, Store.Event.Type.DELETED, Store.Event.Type.ADDED);
    assertThat(text(listener.events.get(1).value())).isEqualTo("a2");

    store.create("/p/d", bytes("d1"));
    awaitTrue(() -> listener.events.size() == 4, WAIT);
    assertThat(listener.events.get(3).revision()).isEqualTo(6);
  }

  @Test
  void watchFromTheCurrentRevisionSeesOnlyNewEvents() throws Exception {
    SqliteStore store = open();
    store.create("/p/a", bytes("a"));
    RecordingListener listener = new RecordingListener();
    store.watch("/p/", store.revision(), listener);
    store.create("/p/b", bytes("b"));
    awaitTrue(() -> listener.events.size() == 1, WAIT);
    assertThat(listener.events.get(0).key()).isEqualTo("/p/b");
  }

  @Test
  void watchFromBeforeTheHistoryFailsWithCompacted() {
    SqliteStore store = open(SqliteStore.Options.defaults().withHistorySize(10).withProgressInterval(Duration.ZERO));
    for (int index = 0; index < 30; index++) {
      store.create("/k/" + index, bytes("v"));
    }
    assertThat(store.compactedRevision()).isEqualTo(20);
    assertThatThrownBy(() -> store.watch("/k/", 19, new RecordingListener()))
        .isInstanceOfSatisfying(
            StoreException.Compacted.class,
            e -> {
              assertThat(e.requested()).isEqualTo(19);
              assertThat(e.oldest()).isEqualTo(20);
            });
    RecordingListener listener = new RecordingListener();
    store.watch("/k/", 20, listener).close();
    store.watch("/k/", 30, new RecordingListener()).close();
  }

  @Test
  void watchHistoryIsBoundedByBytesAsWellAsByCount() throws Exception {
    // each event costs its 1,000-byte value (random: it does not deflate), twice its key's length and ~96 bytes:
    // 10,000 bytes hold 9 of them
    SqliteStore.Options options = SqliteStore.Options.defaults().withHistoryBytes(10_000)
        .withProgressInterval(Duration.ZERO);
    SqliteStore store = open(options);
    for (int index = 0; index < 30; index++) {
      store.create("/k/" + index, random(index, 1_000));
    }
    assertThat(store.compactedRevision()).isEqualTo(21);
    assertThatThrownBy(() -> store.watch("/k/", 20, new RecordingListener()))
        .isInstanceOf(StoreException.Compacted.class);
    RecordingListener listener = new RecordingListener();
    store.watch("/k/", 21, listener).close();
    // a single event larger than the bound is still held, alone
    store.create("/big", random(-1, 50_000));
    assertThat(store.compactedRevision()).isEqualTo(30);
    store.close();
    SqliteStore reopened = open(options);
    assertThat(reopened.compactedRevision()).isEqualTo(30);
    reopened.create("/k/after", random(-2, 1_000));
    assertThat(reopened.compactedRevision()).isEqualTo(31);
  }

  /** Bytes that do not deflate, nor against each other (different seeds). */
  private static byte[] random(long seed, int length) {
    byte[] value = new byte[length];
    new Random(seed).nextBytes(value);
    return value;
  }

  @Test
  void watchHistoryCountsValuesAsHeldPacked() throws Exception {
    // values of one type that differ in a few bytes pack to a small part of their length: 10,000 bytes of history
    // hold all 30 writes of 1,000 bytes
    SqliteStore store = open(SqliteStore.Options.defaults().withHistoryBytes(10_000)
        .withProgressInterval(Duration.ZERO));
    byte[] template = random(-3, 1_000);
    List<byte[]> values = new ArrayList<>();
    for (int index = 0; index < 30; index++) {
      byte[] value = template.clone();
      value[index] = (byte) ~value[index];
      values.add(value.clone());
      store.create("/packed/" + index, value);
    }

    assertThat(store.compactedRevision()).isEqualTo(0);
    RecordingListener listener = new RecordingListener();
    store.watch("/packed/", 0, listener);
    awaitTrue(() -> listener.events.size() == 30, WAIT);
    for (int index = 0; index < 30; index++) {
      assertThat(listener.events.get(index).value()).isEqualTo(values.get(index));
    }
  }

  @Test
  void theCurrentEntryAndTheEventOfARevisionShareOneValueAlsoAfterReopening() throws Exception {
    SqliteStore store = open();
    store.create("/s/a", bytes("a".repeat(2_000)));
    store.create("/s/b", bytes("b".repeat(2_000)));
    store.update("/s/b", 0, bytes("c".repeat(2_000)));
    assertSharesValues(store);
    store.close();

    assertSharesValues(open());
  }

  private static void assertSharesValues(SqliteStore store) throws InterruptedException {
    RecordingListener listener = new RecordingListener();
    store.watch("/s/", 0, listener);
    awaitTrue(() -> listener.events.size() == 3, WAIT);
    assertThat(listener.events.get(0).packed()).isSameAs(store.get("/s/a").orElseThrow().packed());
    assertThat(listener.events.get(1).packed()).isNotSameAs(store.get("/s/b").orElseThrow().packed());
    assertThat(listener.events.get(2).packed()).isSameAs(store.get("/s/b").orElseThrow().packed());
    assertThat(text(listener.events.get(2).value())).isEqualTo("c".repeat(2_000));
  }

  @Test
  void emptyStoreAcceptsWatchFromZero() throws Exception {
    SqliteStore store = open();
    RecordingListener listener = new RecordingListener();
    store.watch("/", 0, listener);
    store.create("/a", bytes("a"));
    awaitTrue(() -> listener.events.size() == 1, WAIT);
  }

  @Test
  void slowWatcherIsClosedAsTooSlowWithoutBlockingWriters() throws Exception {
    SqliteStore store =
        open(SqliteStore.Options.defaults().withWatchQueueCapacity(5).withProgressInterval(Duration.ZERO));
    CountDownLatch release = new CountDownLatch(1);
    RecordingListener blocking =
        new RecordingListener() {
          @Override
          public void onEvent(Store.Event event) {
            super.onEvent(event);
            awaitLatch(release);
          }
        };
    RecordingListener healthy = new RecordingListener();
    store.watch("/s/", store.revision(), blocking);
    store.watch("/s/", store.revision(), healthy);
    for (int index = 0; index < 20; index++) {
      store.create("/s/" + index, bytes("v"));
      // The healthy watcher keeps up (never more than one event behind), however slowly this machine schedules its
      // delivery thread; only the blocked watcher's backlog grows to the capacity.
      int expected = index + 1;
      awaitTrue(() -> healthy.events.size() == expected, WAIT);
    }
    release.countDown();
    awaitTrue(() -> blocking.closes.size() == 1, WAIT);
    assertThat(blocking.closes).containsExactly("too slow");
    assertThat(blocking.events.size()).isLessThan(20);
    store.create("/s/after", bytes("v"));
    awaitTrue(() -> healthy.events.size() == 21, WAIT);
    assertThat(blocking.closes).hasSize(1);
    assertThat(healthy.closes).isEmpty();
  }

  @Test
  void idleWatchersReceivePeriodicProgress() throws Exception {
    SqliteStore store = open(SqliteStore.Options.defaults().withProgressInterval(Duration.ofMillis(20)));
    store.create("/a", bytes("a"));
    RecordingListener listener = new RecordingListener();
    store.watch("/", store.revision(), listener);
    awaitTrue(() -> listener.progress.size() >= 3, WAIT);
    assertThat(listener.progress).allSatisfy(revision -> assertThat(revision).isEqualTo(1));
  }

  @Test
  void closedWatchGetsNothingFurther() throws Exception {
    SqliteStore store = open();
    RecordingListener listener = new RecordingListener();
    Store.Watch watch = store.watch("/", 0, listener);
    store.create("/a", bytes("a"));
    awaitTrue(() -> listener.events.size() == 1, WAIT);
    watch.close();
    store.create("/b", bytes("b"));
    RecordingListener probe = new RecordingListener();
    store.watch("/", store.revision() - 1, probe);
    awaitTrue(() -> probe.events.size() == 1, WAIT);
    assertThat(listener.events).hasSize(1);
    assertThat(listener.closes).isEmpty();
  }

  @Test
  void closingTheStoreEndsWatchesAndRejectsCalls() throws Exception {
    SqliteStore store = open();
    RecordingListener listener = new RecordingListener();
    store.watch("/", 0, listener);
    store.close();
    awaitTrue(() -> listener.closes.size() == 1, WAIT);
    assertThat(listener.closes).containsExactly("store closed");
    assertThatThrownBy(() -> store.create("/a", bytes("a"))).isInstanceOf(StoreException.Unavailable.class);
    assertThatThrownBy(() -> store.get("/a")).isInstanceOf(StoreException.Unavailable.class);
  }

  @Test
  void reopeningRestoresKeysRevisionAndWatchHistory() throws Exception {
    SqliteStore store = open();
    Store.Entry a = store.create("/r/a", bytes("a1"));
    store.update("/r/a", a.revision(), bytes("a2"));
    store.create("/r/b", bytes("b1"));
    store.delete("/r/b", 0);
    store.create("/r/c", bytes("c1"));
    store.close();

    SqliteStore reopened = open();
    assertThat(reopened.revision()).isEqualTo(5);
    assertThat(reopened.list("/r/", null, 0).entries())
        .extracting(entry -> entry.key() + "@" + entry.revision() + "/" + entry.createRevision() + "=" + text(entry.value()))
        .containsExactly("/r/a@2/1=a2", "/r/c@5/5=c1");
    assertThat(reopened.compactedRevision()).isEqualTo(0);

    RecordingListener listener = new RecordingListener();
    reopened.watch("/r/", 2, listener);
    awaitTrue(() -> listener.events.size() == 3, WAIT);
    assertThat(listener.events).extracting(event -> event.type() + " " + event.key() + " " + event.revision())
        .containsExactly("ADDED /r/b 3", "DELETED /r/b 4", "ADDED /r/c 5");
    assertThat(text(listener.events.get(1).value())).isEqualTo("b1");

    assertThat(reopened.create("/r/d", bytes("d")).revision()).isEqualTo(6);
  }

  @Test
  void revisionNeverGoesBackwardsEvenWhenCompactionRemovesTheNewestRows() {
    SqliteStore store =
        open(SqliteStore.Options.defaults().withKeepRevisions(0).withProgressInterval(Duration.ZERO));
    store.create("/a", bytes("a"));
    store.create("/b", bytes("b"));
    store.delete("/b", 0);
    assertThat(store.compact()).isEqualTo(3);
    store.close();

    SqliteStore reopened =
        open(SqliteStore.Options.defaults().withKeepRevisions(0).withProgressInterval(Duration.ZERO));
    assertThat(reopened.revision()).isEqualTo(3);
    assertThat(reopened.compactedRevision()).isEqualTo(3);
    assertThatThrownBy(() -> reopened.watch("/", 2, new RecordingListener()))
        .isInstanceOf(StoreException.Compacted.class);
    assertThat(reopened.get("/a")).isPresent();
    assertThat(reopened.create("/c", bytes("c")).revision()).isEqualTo(4);
  }

  @Test
  void compactionBoundsTheDatabaseUnderChurn() throws Exception {
    SqliteStore store =
        open(
            SqliteStore.Options.defaults()
                .withKeepRevisions(1_000)
                .withCompactionInterval(Duration.ZERO)
                .withProgressInterval(Duration.ZERO));
    byte[] value = new byte[200];
    int updates = 50_000;
    int keys = 5;
    for (int key = 0; key < keys; key++) {
      store.create("/churn/" + key, value);
    }
    AtomicInteger next = new AtomicInteger();
    long maxFileSize = 0;
    for (int round = 0; round < 5; round++) {
      int roundEnd = (round + 1) * updates / 5;
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < 16; thread++) {
        futures.add(
            threads.submit(
                () -> {
                  for (int index = next.getAndIncrement(); index < roundEnd; index = next.getAndIncrement()) {
                    store.update("/churn/" + index % keys, 0, value);
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      next.set(roundEnd);
      store.compact();
      maxFileSize = Math.max(maxFileSize, databaseBytes());
    }
    assertThat(store.revision()).isEqualTo(keys + updates);
    assertThat(store.statistics().compactedRevision()).isEqualTo(keys + updates - 1_000);
    // Uncompacted, 50,000 rows of 200 bytes would take more than 10 MB; 1,000 kept rows take about 250 kB.
    assertThat(maxFileSize).isLessThan(1_500_000);
    assertThat(Files.size(dataDir.resolve("state.db-wal"))).isZero();
    store.close();

    SqliteStore reopened = open();
    assertThat(reopened.revision()).isEqualTo(keys + updates);
    assertThat(reopened.list("/churn/", null, 0).entries()).hasSize(keys);
    assertThat(reopened.compactedRevision()).isEqualTo(keys + updates - 1_000);
  }

  private long databaseBytes() throws IOException {
    long total = 0;
    for (String name : List.of("state.db", "state.db-wal")) {
      Path file = dataDir.resolve(name);
      if (Files.exists(file)) {
        total += Files.size(file);
      }
    }
    return total;
  }
}
