package io.minicluster.store;

import static io.minicluster.store.RecordingListener.awaitTrue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys written with a time to live, as etcd's leases: deleted by the store once it has passed. */
class SqliteStoreExpiryTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dataDir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<SqliteStore> opened = new ArrayList<>();

  @AfterEach
  void tearDown() {
    opened.forEach(SqliteStore::close);
  }

  private SqliteStore open() {
    SqliteStore store = SqliteStore.open(dataDir, SqliteStore.Options.defaults().withProgressInterval(Duration.ZERO),
        clock);
    opened.add(store);
    return store;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static void expire(SqliteStore store) throws Exception {
    store.expireDue().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aKeyWithATimeToLiveIsDeletedOnceItHasPassedAndWatchersSeeTheDeletion() throws Exception {
    SqliteStore store = open();
    RecordingListener listener = new RecordingListener();
    store.watch("/registry/", 0, listener);
    store.create("/registry/events/default/e1", bytes("event"), HOUR);
    store.create("/registry/pods/default/p1", bytes("pod"));

    clock.advance(HOUR.minusSeconds(1));
    expire(store);
    assertThat(store.get("/registry/events/default/e1")).isPresent();

    clock.advance(Duration.ofSeconds(2));
    expire(store);
    assertThat(store.get("/registry/events/default/e1")).isEmpty();
    assertThat(store.get("/registry/pods/default/p1")).isPresent();
    awaitTrue(() -> listener.events.size() == 3, WAIT);
    Store.Event deleted = listener.events.get(2);
    assertThat(deleted.type()).isEqualTo(Store.Event.Type.DELETED);
    assertThat(deleted.key()).isEqualTo("/registry/events/default/e1");
    assertThat(new String(deleted.value(), UTF_8)).isEqualTo("event");
  }

  @Test
  void anUpdateWithATimeToLiveRestartsItAndOneWithoutClearsIt() throws Exception {
    SqliteStore store = open();
    store.create("/e/refreshed", bytes("v1"), HOUR);
    store.create("/e/cleared", bytes("v1"), HOUR);

    clock.advance(Duration.ofMinutes(40));
    store.update("/e/refreshed", 0, bytes("v2"), HOUR);
    store.update("/e/cleared", 0, bytes("v2"));
    clock.advance(Duration.ofMinutes(40));
    expire(store);
    assertThat(store.get("/e/refreshed")).isPresent();
    assertThat(store.get("/e/cleared")).isPresent();

    clock.advance(Duration.ofMinutes(21));
    expire(store);
    assertThat(store.get("/e/refreshed")).isEmpty();
    clock.advance(Duration.ofDays(7));
    expire(store);
    assertThat(store.get("/e/cleared")).isPresent();
  }

  @Test
  void expiryTimesSurviveARestart() throws Exception {
    SqliteStore store = open();
    store.create("/e/old", bytes("old"), HOUR);
    clock.advance(Duration.ofMinutes(30));
    store.create("/e/young", bytes("young"), HOUR);
    store.close();

    clock.advance(Duration.ofMinutes(45));
    SqliteStore reopened = open();
    expire(reopened);
    assertThat(reopened.get("/e/old")).isEmpty();
    assertThat(reopened.get("/e/young")).isPresent();
  }

  @Test
  void theStoresTimerExpiresKeysByItself() throws Exception {
    SqliteStore store = open();
    store.create("/e/short", bytes("v"), Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(2));
    // the check runs every second on the store's timer
    awaitTrue(() -> store.get("/e/short").isEmpty(), WAIT);
  }
}
