package io.minicluster.store;

import static java.util.Objects.requireNonNull;

import io.minicluster.health.Heartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on SQLite: kine's append-only log for durability, an apiserver-style watch cache in memory.
 *
 * <p><b>Durability.</b> The database {@code dataDir/state.db} runs in WAL mode with {@code synchronous=FULL}: every
 * commit fsyncs the WAL before it returns, so an acknowledged write survives a kill -9 of the daemon <i>and</i> a power
 * loss or kernel crash. kine runs {@code synchronous=NORMAL}, which survives process crashes but may lose the last
 * commits on power loss; for an API server that has already told a client "created", losing the object is worse than
 * the fsync cost, and group commit (below) pays that cost once per batch rather than once per write.
 *
 * <p><b>Writes (group commit).</b> Callers enqueue operations and block on a future. One writer thread, the only user
 * of the single SQLite connection, drains up to {@link Options#maxBatchSize()} queued operations, checks each against
 * the in-memory state plus the earlier operations of the same batch (create on an existing key: AlreadyExists; wrong
 * expected revision: Conflict; missing key: NotFound; a failed operation does not affect the others), writes the
 * successful ones in ONE transaction, commits, and only then updates memory, publishes watch events and completes the
 * futures. While one commit is in its fsync, new operations queue up and form the next batch, so N concurrent writers
 * share one fsync. Since only one connection writes, "database is locked" cannot reach callers. If a commit fails
 * (disk full, I/O error) every caller in the batch gets {@link StoreException.Unavailable} and memory is unchanged.
 * Write methods block the calling thread for about one commit: do not call them from an event loop.
 *
 * <p><b>Reads.</b> All live entries are held in a sorted map loaded at open; {@link #get} and {@link #list} never touch
 * SQLite. A list is a consistent snapshot at the returned revision (it holds the read side of the state lock while the
 * writer publishes batches under the write side). Memory holds each value once per revision, packed
 * ({@link PackedValue}: deflated against a dictionary of its type), shared by the current table and the watch history;
 * {@code value()} unpacks a new array for each caller.
 *
 * <p><b>Watch.</b> The last {@link Options#historySize()} events (at most {@link Options#historyBytes()}) are kept in memory (reloaded from the log at startup,
 * so a restart is invisible to watchers with recent revisions). A watch replays the history after its revision, then
 * receives live events, with no gap or duplicate because registration and publication share the state lock. Delivery
 * runs on a small shared executor, one bounded queue per watcher; an overflowing watcher is closed with
 * {@code onClose("too slow")}. After the replay, and every {@link Options#progressInterval()} while idle, watchers get
 * {@code onProgress(revision)}.
 *
 * <p><b>Compaction.</b> At open and every {@link Options#compactionInterval()}, log rows that are no longer the live
 * row of their key (superseded values, tombstones) are deleted up to {@code revision - keepRevisions} (and never newer
 * than the revision seen one interval earlier), the compacted revision is recorded, free pages are returned
 * (incremental vacuum) and the WAL is truncated. The live rows are kept in the {@code current} table, so the file is
 * bounded by the live data plus the retention window. The newest revision is persisted in {@code meta} so revisions
 * never go backwards across restarts.
 *
 * <p><b>Expiry.</b> A key written with a time to live (etcd's lease; the apiserver gives events one) is deleted by the
 * store once the time has passed since its last write with one: the expiry is checked every {@link #EXPIRY_INTERVAL},
 * the deletion is an ordinary delete (a tombstone row, watchers see DELETED), and a write without a time to live
 * clears the expiry. Expiry times are kept in the database with the live rows, so they survive restarts.
 */
public final class SqliteStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
  private static final int COMPACTION_CHUNK = 10_000;
  /** Watch history memory: 16 MiB keeps thousands of pods' events, and fits the packaged 128 MiB heap. */
  private static final long DEFAULT_HISTORY_BYTES = 16L * 1024 * 1024;
  /** How often expired keys are looked for (etcd checks its leases every 500 ms). */
  static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(1);

  /** Tuning knobs; {@link #defaults()} suits the daemon, tests shrink them. */
  public record Options(
      int historySize,
      long historyBytes,
      int keepRevisions,
      Duration compactionInterval,
      int maxBatchSize,
      int watchQueueCapacity,
      Duration progressInterval,
      int deliveryThreads,
      Duration busyTimeout) {
    public Options {
      requireNonNull(compactionInterval, "compactionInterval is null");
      requireNonNull(progressInterval, "progressInterval is null");
      requireNonNull(busyTimeout, "busyTimeout is null");
      if (historySize < 1 || historyBytes < 1 || keepRevisions < 0 || maxBatchSize < 1 || watchQueueCapacity < 1 || deliveryThreads < 1) {
        throw new IllegalArgumentException("invalid store options: " + this);
      }
    }

    public static Options defaults() {
      return new Options(10_000, DEFAULT_HISTORY_BYTES, 10_000, Duration.ofMinutes(5), 512, 10_000,
          Duration.ofSeconds(1), 2, Duration.ofSeconds(30));
    }

    public Options withHistorySize(int value) {
      return new Options(value, historyBytes, keepRevisions, compactionInterval, maxBatchSize, watchQueueCapacity, progressInterval,
          deliveryThreads, busyTimeout);
    }

    /** The most bytes (keys and values) the in-memory watch history holds, whatever {@code historySize} allows. */
    public Options withHistoryBytes(long value) {
      return new Options(historySize, value, keepRevisions, compactionInterval, maxBatchSize, watchQueueCapacity,
          progressInterval, deliveryThreads, busyTimeout);
    }

    public Options withKeepRevisions(int value) {
      return new Options(historySize, historyBytes, value, compactionInterval, maxBatchSize, watchQueueCapacity, progressInterval,
          deliveryThreads, busyTimeout);
    }

    /** A zero interval disables periodic compaction ({@link #compact()} and the compaction at open remain). */
    public Options withCompactionInterval(Duration value) {
      return new Options(historySize, historyBytes, keepRevisions, value, maxBatchSize, watchQueueCapacity, progressInterval,
          deliveryThreads, busyTimeout);
    }

    public Options withMaxBatchSize(int value) {
      return new Options(historySize, historyBytes, keepRevisions, compactionInterval, value, watchQueueCapacity, progressInterval,
          deliveryThreads, busyTimeout);
    }

    public Options withWatchQueueCapacity(int value) {
      return new Options(historySize, historyBytes, keepRevisions, compactionInterval, maxBatchSize, value, progressInterval,
          deliveryThreads, busyTimeout);
    }

    /** A zero interval disables periodic progress notifications (the one after replay remains). */
    public Options withProgressInterval(Duration value) {
      return new Options(historySize, historyBytes, keepRevisions, compactionInterval, maxBatchSize, watchQueueCapacity, value,
          deliveryThreads, busyTimeout);
    }
  }

  /** Counters for tests, benchmarks and metrics. */
  public record Statistics(long commits, long writes, long keys, long revision, long compactedRevision) {}

  private enum Kind {
    CREATE,
    UPDATE,
    DELETE,
    /** Deletes a key whose expiry ({@code expiresAt}: the time of the check) has passed; nothing if it moved on. */
    EXPIRE
  }

  /** A task for the writer; {@code queuedAt} ({@link System#nanoTime}) tells the liveness check how long it waited. */
  private sealed interface Task permits Write, Maintenance, Stop {
    long queuedAt();
  }

  /** {@code expiresAt}: when the written key expires (epoch milliseconds, 0 never); for EXPIRE, the check's time. */
  /** {@code packed}: {@code value} as memory holds it, packed by the writing thread rather than the writer. */
  private record Write(Kind kind, String key, long expectedRevision, byte[] value, PackedValue packed,
      long expiresAt, CompletableFuture<Entry> result, long queuedAt) implements Task {}

  private record Maintenance(Runnable action, CompletableFuture<Void> done, long queuedAt) implements Task {}

  private record Stop(long queuedAt) implements Task {}

  private final Path dataDir;
  private final Options options;
  private final SqliteLog log;
  private final ConcurrentSkipListMap<String, Entry> entries;
  /** Key to expiry time (epoch milliseconds) of the live keys that have one; changed with {@link #entries}. */
  private final Map<String, Long> expiries;
  /** Keys whose expiry deletion is queued, so a busy writer does not get them twice. */
  private final Set<String> expiring = ConcurrentHashMap.newKeySet();
  private final Clock clock;
  private final EventHistory history;
  private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Object submitLock = new Object();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final ExecutorService deliveryExecutor;
  private final ScheduledExecutorService timer;
  private final Thread writerThread;
  private final Heartbeat writerHeartbeat = new Heartbeat("store-writer").watchingQueue(this::oldestQueuedTask);
  private final Heartbeat watchHeartbeat = new Heartbeat("store-watch");

  private volatile long revision;
  private volatile long persistedCompactedRevision;
  private volatile boolean closed;
  private volatile Throwable brokenBy;
  private long revisionAtPreviousCompactionTick = -1; // timer thread only

  private SqliteStore(
      Path dataDir,
      Options options,
      SqliteLog log,
      ConcurrentSkipListMap<String, Entry> entries,
      Map<String, Long> expiries,
      Clock clock,
      EventHistory history,
      long revision,
      long compactedRevision) {
    this.dataDir = dataDir;
    this.expiries = expiries;
    this.clock = clock;
    this.options = options;
    this.log = log;
    this.entries = entries;
    this.history = history;
    this.revision = revision;
    this.persistedCompactedRevision = compactedRevision;
    this.deliveryExecutor = Executors.newFixedThreadPool(options.deliveryThreads(), daemonThreads("store-watch"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("store-timer"));
    this.writerThread = new Thread(this::writerLoop, "store-writer");
    this.writerThread.setDaemon(true);
  }

  /**
   * A bare connection to a database file, configured as the store's own (WAL, synchronous=FULL, immediate
   * transactions, manual commits): what {@code minicluster bench api} measures the disk's durable insert rate with.
   */
  public static Connection openBareConnection(Path databaseFile) throws SQLException {
    return SqliteLog.openConnection(requireNonNull(databaseFile, "databaseFile is null"), Duration.ofSeconds(30));
  }

  /**
   * Opens the store in {@code dataDir} (created if missing): loads live keys and recent history, compacts, and starts
   * the writer, watch delivery and timers.
   */
  public static SqliteStore open(Path dataDir, Options options) {
    return open(dataDir, options, Clock.systemUTC());
  }

  /** As {@link #open(Path, Options)}, with the clock that times keys' expiry. */
  public static SqliteStore open(Path dataDir, Options options, Clock clock) {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(options, "options is null");
    requireNonNull(clock, "clock is null");
    SqliteLog log = null;
    try {
      Files.createDirectories(dataDir);
      log = SqliteLog.open(dataDir, options.busyTimeout());
      long revision = log.revision();
      long compacted = log.compactedRevision();
      long target = revision - options.keepRevisions();
      if (target > compacted) {
        compacted = compactLog(log, compacted, target);
      }
      ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();
      log.scanCurrent(entry -> entries.put(entry.key(), entry));
      Map<String, Long> expiries = new ConcurrentHashMap<>();
      log.scanExpiries(expiries::put);
      EventHistory history = loadHistory(log, entries, options.historySize(), options.historyBytes(), revision,
          compacted);
      SqliteStore store = new SqliteStore(dataDir, options, log, entries, expiries, clock, history, revision,
          compacted);
      store.start();
      LOG.info(
          "opened store {}: {} keys at revision {}, watch history from {}",
          dataDir, entries.size(), revision, history.floor());
      return store;
    } catch (IOException | SQLException | RuntimeException e) {
      if (log != null) {
        try {
          log.close();
        } catch (SQLException closeFailure) {
          e.addSuppressed(closeFailure);
        }
      }
      throw new StoreException.Unavailable("cannot open store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The recent events of the log; an event of a key's current revision holds the current entry's value, as the
   * events of writes do, rather than a second copy.
   */
  private static EventHistory loadHistory(SqliteLog log, Map<String, Entry> entries, int capacity, long maxBytes,
      long revision, long compacted) throws SQLException {
    long floor = Math.max(compacted, revision - capacity);
    EventHistory history = new EventHistory(capacity, maxBytes, Math.max(0, floor));
    try {
      log.scanEvents(history.floor(), event -> {
        Entry current = entries.get(event.key());
        history.add(current == null || current.revision() != event.revision() ? event
            : new Event(event.type(), event.key(), event.revision(), current.packed()));
      });
    } catch (IllegalStateException gap) {
      LOG.warn("log has a gap after the compacted revision; watch history starts at {}", revision, gap);
      return new EventHistory(capacity, maxBytes, revision);
    }
    if (history.newest() != revision) {
      // The newest revisions were removed (only possible with keepRevisions=0); watches can start from now only.
      return new EventHistory(capacity, maxBytes, revision);
    }
    return history;
  }

  private static long compactLog(SqliteLog log, long fromRevision, long throughRevision) throws SQLException {
    long removed = 0;
    for (long from = fromRevision; from < throughRevision; from += COMPACTION_CHUNK) {
      removed += log.compactRange(from, Math.min(throughRevision, from + COMPACTION_CHUNK));
    }
    log.reclaimSpace();
    LOG.debug("compacted log through revision {}: removed {} rows", throughRevision, removed);
    return throughRevision;
  }

  private void start() {
    writerThread.start();
    if (!options.progressInterval().isZero()) {
      long millis = options.progressInterval().toMillis();
      timer.scheduleWithFixedDelay(this::sendProgress, millis, millis, TimeUnit.MILLISECONDS);
    }
    if (!options.compactionInterval().isZero()) {
      long millis = options.compactionInterval().toMillis();
      timer.scheduleWithFixedDelay(this::periodicCompaction, millis, millis, TimeUnit.MILLISECONDS);
    }
    long expiryMillis = EXPIRY_INTERVAL.toMillis();
    timer.scheduleWithFixedDelay(this::expireDue, expiryMillis, expiryMillis, TimeUnit.MILLISECONDS);
  }

  // ---- reads ----

  @Override
  public long revision() {
    return revision;
  }

  /** The revision after which watch history is complete; watching from an older revision fails with Compacted. */
  @Override
  public long compactedRevision() {
    stateLock.readLock().lock();
    try {
      return history.floor();
    } finally {
      stateLock.readLock().unlock();
    }
  }

  @Override
  public Optional<Entry> get(String key) {
    requireNonNull(key, "key is null");
    checkOpen();
    return Optional.ofNullable(entries.get(key));
  }

  /**
   * Keys under {@code prefix} (plain string prefix, as in etcd: pass prefixes ending in '/' to select a directory),
   * in key order, strictly after {@code startAfter}, at most {@code limit} (0 = all). A consistent snapshot.
   */
  @Override
  public ListResult list(String prefix, String startAfter, int limit) {
    requireNonNull(prefix, "prefix is null");
    if (limit < 0) {
      throw new IllegalArgumentException("limit is negative: " + limit);
    }
    checkOpen();
    NavigableMap<String, Entry> range =
        startAfter != null && startAfter.compareTo(prefix) >= 0
            ? entries.tailMap(startAfter, false)
            : entries.tailMap(prefix, true);
    List<Entry> result = new ArrayList<>();
    boolean more = false;
    stateLock.readLock().lock();
    try {
      long snapshotRevision = revision;
      for (Map.Entry<String, Entry> mapEntry : range.entrySet()) {
        if (!mapEntry.getKey().startsWith(prefix)) {
          break;
        }
        if (limit > 0 && result.size() == limit) {
          more = true;
          break;
        }
        result.add(mapEntry.getValue());
      }
      return new ListResult(result, snapshotRevision, more);
    } finally {
      stateLock.readLock().unlock();
    }
  }

  // ---- writes ----

  @Override
  public Entry create(String key, byte[] value, Duration ttl) {
    requireNonNull(key, "key is null");
    requireNonNull(value, "value is null");
    byte[] copy = value.clone();
    return submit(Kind.CREATE, key, 0, copy, PackedValue.pack(key, copy), expiresAt(ttl));
  }

  @Override
  public Entry update(String key, long expectedRevision, byte[] value, Duration ttl) {
    requireNonNull(key, "key is null");
    requireNonNull(value, "value is null");
    byte[] copy = value.clone();
    return submit(Kind.UPDATE, key, expectedRevision, copy, PackedValue.pack(key, copy), expiresAt(ttl));
  }

  @Override
  public Entry delete(String key, long expectedRevision) {
    requireNonNull(key, "key is null");
    return submit(Kind.DELETE, key, expectedRevision, null, null, 0);
  }

  /** When a key written now with {@code ttl} expires (epoch milliseconds), 0 for a zero ttl (never). */
  private long expiresAt(Duration ttl) {
    requireNonNull(ttl, "ttl is null");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("negative ttl: " + ttl);
    }
    return ttl.isZero() ? 0 : clock.millis() + ttl.toMillis();
  }

  private Entry submit(Kind kind, String key, long expectedRevision, byte[] value, PackedValue packed,
      long expiresAt) {
    CompletableFuture<Entry> result = new CompletableFuture<>();
    enqueue(new Write(kind, key, expectedRevision, value, packed, expiresAt, result, System.nanoTime()));
    return await(result);
  }

  /**
   * Queues the deletion of every key whose expiry has passed; returns when all of them are done (tests wait for it,
   * the timer does not).
   */
  CompletableFuture<Void> expireDue() {
    long now = clock.millis();
    List<CompletableFuture<Entry>> deletions = new ArrayList<>();
    for (Map.Entry<String, Long> expiry : expiries.entrySet()) {
      String key = expiry.getKey();
      if (expiry.getValue() > now || !expiring.add(key)) {
        continue;
      }
      CompletableFuture<Entry> result = new CompletableFuture<>();
      result.whenComplete((entry, failure) -> expiring.remove(key));
      try {
        enqueue(new Write(Kind.EXPIRE, key, 0, null, null, now, result, System.nanoTime()));
      } catch (StoreException e) {
        expiring.remove(key);
        break; // closed
      }
      deletions.add(result);
    }
    return CompletableFuture.allOf(deletions.stream()
        .map(deletion -> deletion.handle((entry, failure) -> null))
        .toArray(CompletableFuture[]::new));
  }

  private void enqueue(Task task) {
    synchronized (submitLock) {
      checkOpen();
      queue.add(task);
    }
  }

  /** Waits for the writer; interrupts are deferred because the write may already be committing. */
  private static <T> T await(CompletableFuture<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof StoreException storeException) {
            throw storeException;
          }
          throw new StoreException.Unavailable("store write failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void writerLoop() {
    List<Task> batch = new ArrayList<>();
    List<Write> pendingWrites = new ArrayList<>();
    boolean running = true;
    while (running) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // the writer stops only on a Stop task, after flushing everything before it
      }
      queue.drainTo(batch, options.maxBatchSize() - 1);
      writerHeartbeat.begin();
      try {
        for (Task task : batch) {
          if (task instanceof Write write) {
            pendingWrites.add(write);
            continue;
          }
          commitBatch(pendingWrites);
          pendingWrites.clear();
          if (task instanceof Maintenance maintenance) {
            runMaintenance(maintenance);
          } else if (task instanceof Stop) {
            running = false;
          }
        }
        commitBatch(pendingWrites);
        pendingWrites.clear();
      } finally {
        writerHeartbeat.end();
      }
    }
    // Anything queued after Stop was rejected by checkOpen, except tasks the store itself queued; fail them.
    for (Task task : queue) {
      StoreException closedException = new StoreException.Unavailable("store is closed", null);
      if (task instanceof Write write) {
        write.result().completeExceptionally(closedException);
      } else if (task instanceof Maintenance maintenance) {
        maintenance.done().completeExceptionally(closedException);
      }
    }
  }

  private void runMaintenance(Maintenance maintenance) {
    try {
      maintenance.action().run();
      maintenance.done().complete(null);
    } catch (RuntimeException e) {
      LOG.warn("store maintenance failed", e);
      maintenance.done().completeExceptionally(e);
    }
  }

  /** A checked outcome of one write in a batch: the entry to return, or the failure to throw. */
  private record Outcome(Write write, Entry entry, StoreException failure) {}

  private void commitBatch(List<Write> batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (brokenBy != null) {
      for (Write write : batch) {
        write.result().completeExceptionally(
            new StoreException.Unavailable("store is unusable after a failed commit; restart it", brokenBy));
      }
      return;
    }
    // Key -> entry after the batch's successful writes so far; a null value means deleted within the batch.
    Map<String, Entry> overlay = new HashMap<>();
    // Key -> expiry after the batch's successful writes so far (0: none).
    Map<String, Long> expiryOverlay = new HashMap<>();
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    List<SqliteLog.Row> rows = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    long next = revision;
    for (Write write : batch) {
      String key = write.key();
      Entry existing = overlay.containsKey(key) ? overlay.get(key) : entries.get(key);
      long expiry = expiryOverlay.containsKey(key) ? expiryOverlay.get(key) : expiries.getOrDefault(key, 0L);
      StoreException failure = check(write, existing, expiry);
      if (failure != null) {
        outcomes.add(new Outcome(write, null, failure));
        continue;
      }
      next++;
      Entry result;
      switch (write.kind()) {
        case CREATE -> {
          result = new Entry(key, next, next, write.packed());
          rows.add(new SqliteLog.Row(key, next, next, 0, false, write.value(), write.expiresAt()));
          events.add(new Event(Event.Type.ADDED, key, next, write.packed()));
          overlay.put(key, result);
          expiryOverlay.put(key, write.expiresAt());
        }
        case UPDATE -> {
          result = new Entry(key, next, existing.createRevision(), write.packed());
          rows.add(new SqliteLog.Row(key, next, existing.createRevision(), existing.revision(), false, write.value(),
              write.expiresAt()));
          events.add(new Event(Event.Type.MODIFIED, key, next, write.packed()));
          overlay.put(key, result);
          expiryOverlay.put(key, write.expiresAt());
        }
        case DELETE, EXPIRE -> {
          result = new Entry(key, next, existing.createRevision(), existing.packed());
          rows.add(new SqliteLog.Row(key, next, existing.createRevision(), existing.revision(), true, existing.value(),
              0));
          events.add(new Event(Event.Type.DELETED, key, next, existing.packed()));
          overlay.put(key, null);
          expiryOverlay.put(key, 0L);
        }
        default -> throw new IllegalStateException("unknown write kind " + write.kind());
      }
      outcomes.add(new Outcome(write, result, null));
    }
    if (!rows.isEmpty()) {
      try {
        log.append(rows, next);
      } catch (SQLException | RuntimeException e) {
        LOG.error("store commit of {} writes failed", rows.size(), e);
        checkConsistencyAfterFailure(e);
        for (Write write : batch) {
          write.result().completeExceptionally(
              new StoreException.Unavailable("store commit failed: " + e.getMessage(), e));
        }
        return;
      }
      commits.incrementAndGet();
      writes.addAndGet(rows.size());
      publish(overlay, expiryOverlay, events, next);
    }
    for (Outcome outcome : outcomes) {
      if (outcome.failure() != null) {
        outcome.write().result().completeExceptionally(outcome.failure());
      } else {
        outcome.write().result().complete(outcome.entry());
      }
    }
  }

  /** Why a write cannot apply to the key as it is ({@code expiry}: its expiry time, 0 for none), or null. */
  private static StoreException check(Write write, Entry existing, long expiry) {
    return switch (write.kind()) {
      case EXPIRE -> {
        if (existing == null) {
          yield new StoreException.NotFound(write.key());
        }
        // written again since the check found it expired: its new expiry (or none) holds
        yield expiry == 0 || expiry > write.expiresAt() ? new StoreException.Conflict(write.key(), existing.revision())
            : null;
      }
      case CREATE -> existing != null ? new StoreException.AlreadyExists(write.key()) : null;
      case UPDATE, DELETE -> {
        if (existing == null) {
          yield new StoreException.NotFound(write.key());
        }
        if (write.expectedRevision() != 0 && write.expectedRevision() != existing.revision()) {
          yield new StoreException.Conflict(write.key(), existing.revision());
        }
        yield null;
      }
    };
  }

  /** After a failed commit, memory is unchanged; if the database nevertheless moved on, stop accepting writes. */
  private void checkConsistencyAfterFailure(Exception failure) {
    try {
      long persisted = log.revision();
      if (persisted != revision) {
        brokenBy = failure;
        LOG.error("database revision {} differs from memory {} after a failed commit", persisted, revision);
      }
    } catch (SQLException | RuntimeException e) {
      // Cannot tell: the next commit fails on the revision primary key if the failed one did persist.
      LOG.warn("cannot read the database revision after a failed commit", e);
    }
  }

  private void publish(Map<String, Entry> overlay, Map<String, Long> expiryOverlay, List<Event> events,
      long newRevision) {
    stateLock.writeLock().lock();
    try {
      for (Map.Entry<String, Long> change : expiryOverlay.entrySet()) {
        if (change.getValue() == 0) {
          expiries.remove(change.getKey());
        } else {
          expiries.put(change.getKey(), change.getValue());
        }
      }
      for (Map.Entry<String, Entry> change : overlay.entrySet()) {
        if (change.getValue() == null) {
          entries.remove(change.getKey());
        } else {
          entries.put(change.getKey(), change.getValue());
        }
      }
      revision = newRevision;
      for (Event event : events) {
        history.add(event);
        for (Watcher watcher : watchers) {
          if (watcher.matches(event.key())) {
            watcher.offer(event);
          }
        }
      }
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  // ---- watch ----

  /**
   * Watches keys under {@code prefix} (string prefix) after {@code afterRevision}. Watching from the current revision
   * or later always succeeds (revisions above the current one simply wait for that revision).
   */
  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    requireNonNull(prefix, "prefix is null");
    requireNonNull(listener, "listener is null");
    checkOpen();
    stateLock.writeLock().lock();
    try {
      long current = revision;
      if (afterRevision < history.floor() && afterRevision < current) {
        throw new StoreException.Compacted(afterRevision, history.floor());
      }
      Watcher watcher =
          new Watcher(prefix, listener, options.watchQueueCapacity(),
              task -> deliveryExecutor.execute(watchHeartbeat.around(task)), watchers::remove);
      watcher.start(history.eventsAfter(afterRevision, prefix), current);
      watchers.add(watcher);
      return watcher;
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  private void sendProgress() {
    stateLock.readLock().lock();
    try {
      long current = revision;
      for (Watcher watcher : watchers) {
        watcher.offerProgressIfIdle(current);
      }
    } finally {
      stateLock.readLock().unlock();
    }
  }

  // ---- compaction ----

  /**
   * Compacts the log now, through {@code revision() - keepRevisions}, and returns the compacted revision. Blocks
   * until done; writes wait meanwhile.
   */
  public long compact() {
    return compactThrough(revision - options.keepRevisions());
  }

  private long compactThrough(long target) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(
        new Maintenance(
            () -> {
              if (target <= persistedCompactedRevision) {
                return;
              }
              try {
                persistedCompactedRevision = compactLog(log, persistedCompactedRevision, target);
              } catch (SQLException e) {
                throw new StoreException.Unavailable("compaction failed: " + e.getMessage(), e);
              }
            },
            done,
            System.nanoTime()));
    await(done);
    return persistedCompactedRevision;
  }

  private void periodicCompaction() {
    long current = revision;
    long previousTick = revisionAtPreviousCompactionTick;
    revisionAtPreviousCompactionTick = current;
    if (previousTick < 0) {
      return; // keep at least one interval of history
    }
    try {
      compactThrough(Math.min(current - options.keepRevisions(), previousTick));
    } catch (RuntimeException e) {
      LOG.warn("periodic compaction failed", e);
    }
  }

  // ---- lifecycle and diagnostics ----
  /** When the oldest task still waiting for the writer was queued (empty when none waits). */
  private OptionalLong oldestQueuedTask() {
    Task head = queue.peek();
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.queuedAt());
  }

  /**
   * The progress of the store's core loops, for the daemon's liveness checks: the writer (one group commit in flight)
   * and the watch fan-out (one watcher's delivery in flight).
   */
  public List<Heartbeat> heartbeats() {
    return List.of(writerHeartbeat, watchHeartbeat);
  }

  /**
   * Runs {@code action} on the writer thread between batches (tests use it to hold the writer and so form a batch).
   */
  CompletableFuture<Void> runOnWriter(Runnable action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new Maintenance(requireNonNull(action, "action is null"), done, System.nanoTime()));
    return done;
  }

  /** Tasks waiting for the writer. */
  int queuedTasks() {
    return queue.size();
  }


  public Statistics statistics() {
    return new Statistics(commits.get(), writes.get(), entries.size(), revision, persistedCompactedRevision);
  }

  public Path dataDir() {
    return dataDir;
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException.Unavailable("store is closed", null);
    }
  }

  /** Flushes queued writes, ends every watch with {@code onClose("store closed")} and closes the database. */
  @Override
  public void close() {
    synchronized (submitLock) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(new Stop(System.nanoTime()));
    }
    timer.shutdownNow();
    joinUninterruptibly(writerThread);
    stateLock.writeLock().lock();
    try {
      for (Watcher watcher : List.copyOf(watchers)) {
        watcher.closeFromStore("store closed");
      }
    } finally {
      stateLock.writeLock().unlock();
    }
    deliveryExecutor.shutdown();
    try {
      if (!deliveryExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("watch delivery did not finish within 5 s");
        deliveryExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      log.close();
    } catch (SQLException e) {
      LOG.warn("closing the database failed", e);
    }
    LOG.info("closed store {} at revision {}", dataDir, revision);
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
