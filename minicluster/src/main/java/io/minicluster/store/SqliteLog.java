package io.minicluster.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite side of {@link SqliteStore}: schema, startup scans, batched appends and compaction, all on one
 * connection. Not thread-safe: only the store's writer thread (and {@code open}/{@code close}) use it.
 *
 * <p>Tables:
 *
 * <ul>
 *   <li>{@code log}: append-only, one row per revision (kine's design). A delete is a tombstone row whose value is the
 *       last value, so history can be rebuilt from rows alone.
 *   <li>{@code current}: the live row per key, maintained in the same transaction, so startup is one scan.
 *   <li>{@code expiry}: when a live key is to be deleted by the store (epoch milliseconds), for keys written with a
 *       time to live (etcd's leases); maintained with {@code current}, so expiries survive restarts.
 *   <li>{@code meta}: {@code revision} (the newest revision ever written, so revisions never go backwards even when
 *       compaction removed the newest rows) and {@code compacted_revision} (log rows at or below it may be missing).
 * </ul>
 */
final class SqliteLog implements AutoCloseable {
  static final String DATABASE_FILE = "state.db";
  static final String META_REVISION = "revision";
  static final String META_COMPACTED = "compacted_revision";

  /**
   * One row to append: a put (value is the new value) or a tombstone (value is the last value); {@code expiresAt} is
   * when the store deletes a put's key (epoch milliseconds), 0 for never.
   */
  record Row(String key, long revision, long createRevision, long previousRevision, boolean deleted, byte[] value,
      long expiresAt) {}

  private final Connection connection;
  private final PreparedStatement insertLog;
  private final PreparedStatement upsertCurrent;
  private final PreparedStatement deleteCurrent;
  private final PreparedStatement upsertMeta;
  private final PreparedStatement upsertExpiry;
  private final PreparedStatement deleteExpiry;

  private SqliteLog(Connection connection) throws SQLException {
    this.connection = connection;
    this.insertLog =
        connection.prepareStatement(
            "INSERT INTO log(revision, key, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)");
    this.upsertCurrent =
        connection.prepareStatement(
            "INSERT OR REPLACE INTO current(key, revision, create_revision, value) VALUES (?, ?, ?, ?)");
    this.deleteCurrent = connection.prepareStatement("DELETE FROM current WHERE key = ?");
    this.upsertMeta = connection.prepareStatement("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)");
    this.upsertExpiry = connection.prepareStatement("INSERT OR REPLACE INTO expiry(key, expires_at) VALUES (?, ?)");
    this.deleteExpiry = connection.prepareStatement("DELETE FROM expiry WHERE key = ?");
  }

  /** Opens (creating if needed) {@code dataDir/state.db} in WAL mode with {@code synchronous=FULL}. */
  static SqliteLog open(Path dataDir, Duration busyTimeout) throws SQLException {
    requireNonNull(dataDir, "dataDir is null");
    Connection connection = openConnection(dataDir.resolve(DATABASE_FILE), busyTimeout);
    try {
      enableIncrementalVacuum(connection);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS log(revision INTEGER PRIMARY KEY, key TEXT NOT NULL,"
                + " create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, deleted INTEGER NOT NULL,"
                + " value BLOB NOT NULL)");
        statement.execute(
            "CREATE TABLE IF NOT EXISTS current(key TEXT PRIMARY KEY, revision INTEGER NOT NULL,"
                + " create_revision INTEGER NOT NULL, value BLOB NOT NULL) WITHOUT ROWID");
        statement.execute("CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        statement.execute(
            "CREATE TABLE IF NOT EXISTS expiry(key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID");
      }
      connection.commit();
      return new SqliteLog(connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Turns on incremental auto-vacuum, which lets compaction give freed pages back to the file system. The setting only
   * sticks on an empty database or through a VACUUM, so an existing database without it is vacuumed once.
   */
  private static void enableIncrementalVacuum(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA auto_vacuum=INCREMENTAL");
      if (single(statement, "PRAGMA auto_vacuum") != 2) {
        statement.execute("VACUUM");
      }
    } finally {
      connection.setAutoCommit(false);
    }
  }

  /** A connection configured like the store's: WAL, synchronous=FULL, busy timeout, manual commits. */
  static Connection openConnection(Path databaseFile, Duration busyTimeout) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile, config.toProperties());
    connection.setAutoCommit(false);
    return connection;
  }

  long metaValue(String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
      statement.setString(1, name);
      try (ResultSet resultSet = statement.executeQuery()) {
        return resultSet.next() ? resultSet.getLong(1) : 0;
      }
    }
  }

  /** The newest revision ever committed: the persisted maximum, or the newest log row if larger. */
  long revision() throws SQLException {
    long fromMeta = metaValue(META_REVISION);
    try (Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery("SELECT COALESCE(MAX(revision), 0) FROM log")) {
      resultSet.next();
      return Math.max(fromMeta, resultSet.getLong(1));
    } finally {
      connection.commit();
    }
  }

  long compactedRevision() throws SQLException {
    try {
      return metaValue(META_COMPACTED);
    } finally {
      connection.commit();
    }
  }

  /** Streams every live key to {@code sink}. */
  void scanCurrent(Consumer<Store.Entry> sink) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet resultSet =
            statement.executeQuery("SELECT key, revision, create_revision, value FROM current")) {
      while (resultSet.next()) {
        sink.accept(
            new Store.Entry(resultSet.getString(1), resultSet.getLong(2), resultSet.getLong(3), resultSet.getBytes(4)));
      }
    } finally {
      connection.commit();
    }
  }

  /** Streams the expiry time (epoch milliseconds) of every live key that has one. */
  void scanExpiries(BiConsumer<String, Long> sink) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery(
            "SELECT e.key, e.expires_at FROM expiry e JOIN current c ON c.key = e.key")) {
      while (resultSet.next()) {
        sink.accept(resultSet.getString(1), resultSet.getLong(2));
      }
    } finally {
      connection.commit();
    }
  }

  /** Streams log rows with revision greater than {@code afterRevision} as events, in revision order. */
  void scanEvents(long afterRevision, Consumer<Store.Event> sink) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT key, revision, create_revision, deleted, value FROM log WHERE revision > ? ORDER BY revision")) {
      statement.setLong(1, afterRevision);
      try (ResultSet resultSet = statement.executeQuery()) {
        while (resultSet.next()) {
          long revision = resultSet.getLong(2);
          Store.Event.Type type;
          if (resultSet.getInt(4) != 0) {
            type = Store.Event.Type.DELETED;
          } else if (resultSet.getLong(3) == revision) {
            type = Store.Event.Type.ADDED;
          } else {
            type = Store.Event.Type.MODIFIED;
          }
          sink.accept(new Store.Event(type, resultSet.getString(1), revision, resultSet.getBytes(5)));
        }
      }
    } finally {
      connection.commit();
    }
  }

  /**
   * Writes {@code rows} and the new maximum revision in one transaction and commits it (durable on return). On failure
   * the transaction is rolled back and the exception rethrown.
   */
  void append(List<Row> rows, long newRevision) throws SQLException {
    try {
      // The log gets every row; current gets only the last row per key, so put/delete order within the batch cannot
      // matter.
      Map<String, Row> lastRowByKey = new HashMap<>();
      for (Row row : rows) {
        insertLog.setLong(1, row.revision());
        insertLog.setString(2, row.key());
        insertLog.setLong(3, row.createRevision());
        insertLog.setLong(4, row.previousRevision());
        insertLog.setInt(5, row.deleted() ? 1 : 0);
        insertLog.setBytes(6, row.value());
        insertLog.addBatch();
        lastRowByKey.put(row.key(), row);
      }
      for (Row row : lastRowByKey.values()) {
        if (row.deleted() || row.expiresAt() == 0) {
          deleteExpiry.setString(1, row.key());
          deleteExpiry.addBatch();
        } else {
          upsertExpiry.setString(1, row.key());
          upsertExpiry.setLong(2, row.expiresAt());
          upsertExpiry.addBatch();
        }
        if (row.deleted()) {
          deleteCurrent.setString(1, row.key());
          deleteCurrent.addBatch();
        } else {
          upsertCurrent.setString(1, row.key());
          upsertCurrent.setLong(2, row.revision());
          upsertCurrent.setLong(3, row.createRevision());
          upsertCurrent.setBytes(4, row.value());
          upsertCurrent.addBatch();
        }
      }
      insertLog.executeBatch();
      upsertCurrent.executeBatch();
      deleteCurrent.executeBatch();
      upsertExpiry.executeBatch();
      deleteExpiry.executeBatch();
      upsertMeta.setString(1, META_REVISION);
      upsertMeta.setLong(2, newRevision);
      upsertMeta.executeUpdate();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      insertLog.clearBatch();
      upsertCurrent.clearBatch();
      deleteCurrent.clearBatch();
      upsertExpiry.clearBatch();
      deleteExpiry.clearBatch();
      rollbackQuietly(e);
      throw e;
    }
  }

  /**
   * Removes log rows at or below {@code throughRevision} (exclusive of {@code fromRevision}) that are no longer the
   * live row of their key: superseded values and tombstones. One transaction; returns the number of rows removed.
   */
  int compactRange(long fromRevision, long throughRevision) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "DELETE FROM log WHERE revision > ? AND revision <= ?"
                + " AND NOT EXISTS (SELECT 1 FROM current c WHERE c.key = log.key AND c.revision = log.revision)")) {
      statement.setLong(1, fromRevision);
      statement.setLong(2, throughRevision);
      int removed = statement.executeUpdate();
      upsertMeta.setString(1, META_COMPACTED);
      upsertMeta.setLong(2, throughRevision);
      upsertMeta.executeUpdate();
      connection.commit();
      return removed;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(e);
      throw e;
    }
  }

  /** Returns free pages to the file system and truncates the WAL; run after compaction. */
  void reclaimSpace() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // The JDBC driver steps this pragma once per execute, and each step frees one page: repeat it inside one
      // transaction (one commit) until no free page is left.
      long freePages = single(statement, "PRAGMA freelist_count");
      for (long step = 0; step < freePages && single(statement, "PRAGMA freelist_count") > 0; step++) {
        try (Statement vacuumStep = connection.createStatement()) {
          vacuumStep.execute("PRAGMA incremental_vacuum(1)");
        }
      }
      connection.commit();
      connection.setAutoCommit(true);
      try {
        statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } finally {
        connection.setAutoCommit(false);
      }
    }
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet resultSet = statement.executeQuery(sql)) {
      resultSet.next();
      return resultSet.getLong(1);
    }
  }

  private void rollbackQuietly(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      reclaimSpace();
    } finally {
      connection.close();
    }
  }
}
