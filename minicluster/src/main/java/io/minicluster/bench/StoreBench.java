package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import io.minicluster.store.SqliteStore;
import io.minicluster.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the store against raw SQLite: how many durable single-row commits per second the disk allows, and how many
 * concurrent creates per second the store achieves with group commit. Not a test; a helper for
 * {@code minicluster bench api} and for {@link #main}, which runs it alone.
 */
public final class StoreBench {
  private static final int VALUE_SIZE = 512;

  private StoreBench() {}

  /** Throughput and latency of a run of creates. Latencies are per call, in milliseconds. */
  public record Result(int operations, Duration elapsed, double perSecond, double p50Millis, double p99Millis) {
    @Override
    public String toString() {
      return String.format(
          "%d ops in %d ms: %.0f/s, p50 %.2f ms, p99 %.2f ms",
          operations, elapsed.toMillis(), perSecond, p50Millis, p99Millis);
    }
  }

  /**
   * Inserts {@code count} rows into a scratch database in {@code dir}, one transaction and commit per row, with the
   * store's settings (WAL, synchronous=FULL); returns commits per second. The scratch file is deleted afterwards.
   */
  public static double rawDurableInsertRate(Path dir, int count) throws SQLException {
    requireNonNull(dir, "dir is null");
    Path database = dir.resolve("bench-raw.db");
    byte[] value = new byte[VALUE_SIZE];
    Arrays.fill(value, (byte) 'x');
    try (Connection connection = SqliteStore.openBareConnection(database)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS scratch");
        statement.execute("CREATE TABLE scratch(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB NOT NULL)");
      }
      connection.commit();
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO scratch(key, value) VALUES (?, ?)")) {
        long start = System.nanoTime();
        for (int index = 0; index < count; index++) {
          insert.setString(1, "/bench/raw/" + index);
          insert.setBytes(2, value);
          insert.executeUpdate();
          connection.commit();
        }
        long elapsed = System.nanoTime() - start;
        return count / (elapsed / 1e9);
      }
    } finally {
      for (String suffix : List.of("", "-wal", "-shm")) {
        try {
          Files.deleteIfExists(dir.resolve("bench-raw.db" + suffix));
        } catch (IOException e) {
          // best effort cleanup of a scratch file
        }
      }
    }
  }

  /** Creates {@code count} keys from {@code threads} threads (keys under {@code /bench/<nanos>/}). */
  public static Result concurrentCreates(Store store, int threads, int count) throws Exception {
    requireNonNull(store, "store is null");
    if (threads < 1 || count < 1) {
      throw new IllegalArgumentException("threads and count must be positive");
    }
    byte[] value = new byte[VALUE_SIZE];
    Arrays.fill(value, (byte) 'y');
    String prefix = "/bench/" + System.nanoTime() + "/";
    long[] latencies = new long[count];
    AtomicInteger nextIndex = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int thread = 0; thread < threads; thread++) {
        futures.add(
            executor.submit(
                () -> {
                  for (int index = nextIndex.getAndIncrement(); index < count; index = nextIndex.getAndIncrement()) {
                    long begin = System.nanoTime();
                    store.create(prefix + index, value);
                    latencies[index] = System.nanoTime() - begin;
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      long elapsed = System.nanoTime() - start;
      Arrays.sort(latencies);
      return new Result(
          count,
          Duration.ofNanos(elapsed),
          count / (elapsed / 1e9),
          latencies[percentileIndex(count, 0.50)] / 1e6,
          latencies[percentileIndex(count, 0.99)] / 1e6);
    } finally {
      executor.shutdownNow();
    }
  }

  private static int percentileIndex(int count, double percentile) {
    return Math.min(count - 1, (int) Math.ceil(percentile * count) - 1);
  }

  /** Usage: {@code StoreBench [dir] [count] [threads]}; defaults to a temporary directory, 3000 and 32. */
  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("store-bench");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    Files.createDirectories(dir);
    double raw = rawDurableInsertRate(dir, count);
    Result single;
    Result concurrent;
    SqliteStore.Statistics statistics;
    try (SqliteStore store = SqliteStore.open(dir.resolve("store"), SqliteStore.Options.defaults())) {
      single = concurrentCreates(store, 1, Math.min(count, 1000));
      long commitsBefore = store.statistics().commits();
      concurrent = concurrentCreates(store, threads, count);
      statistics = store.statistics();
      System.out.printf("commits for %d concurrent creates: %d%n", count, statistics.commits() - commitsBefore);
    }
    System.out.printf("raw SQLite, one commit per insert (WAL, synchronous=FULL): %.0f/s%n", raw);
    System.out.printf("store creates, 1 thread:   %s%n", single);
    System.out.printf("store creates, %d threads: %s%n", threads, concurrent);
    System.out.printf("ratio concurrent/raw: %.2f%n", concurrent.perSecond() / raw);
  }
}
