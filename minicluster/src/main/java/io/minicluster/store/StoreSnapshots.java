package io.minicluster.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Copies of the store's database for backup and restore, taken and checked without the daemon's help: {@link
 * #snapshot} writes a consistent copy of a live database ({@code VACUUM INTO} runs in one read transaction, so in WAL
 * mode it sees one committed state and does not block the daemon's writer), {@link #check} proves a copy is a sound
 * minicluster store ({@code PRAGMA integrity_check} and the schema), {@link #markRestored} moves a restored copy's
 * revision past the replaced one.
 */
public final class StoreSnapshots {
  /** The database file inside a data directory. */
  public static final String DATABASE_FILE = SqliteLog.DATABASE_FILE;
  private static final int BUSY_TIMEOUT_MILLIS = 30_000;

  /** What {@link #check} found: the newest revision and the number of live objects. */
  public record Summary(long revision, long objects) {}

  private StoreSnapshots() {}

  /** The database file of {@code dataDir}. */
  public static Path databaseFile(Path dataDir) {
    return dataDir.resolve(DATABASE_FILE);
  }

  /**
   * Writes a consistent copy of {@code database} (which a daemon may be using) to {@code target}, which must not exist.
   * The source is opened read-only.
   */
  public static void snapshot(Path database, Path target) throws SQLException {
    requireNonNull(database, "database is null");
    requireNonNull(target, "target is null");
    if (!Files.isRegularFile(database)) {
      throw new SQLException("no database at " + database);
    }
    try (Connection connection = open(database, true);
        PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
      vacuum.setString(1, target.toAbsolutePath().toString());
      vacuum.execute();
    }
  }

  /**
   * Checks that {@code database} is intact ({@code PRAGMA integrity_check} says ok) and holds a minicluster store (its
   * tables); returns its revision and object count. Throws SQLException naming the problem otherwise.
   */
  public static Summary check(Path database) throws SQLException {
    requireNonNull(database, "database is null");
    if (!Files.isRegularFile(database)) {
      throw new SQLException("no database at " + database);
    }
    try (Connection connection = open(database, true); Statement statement = connection.createStatement()) {
      List<String> problems = new ArrayList<>();
      try (ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
        while (result.next()) {
          problems.add(result.getString(1));
        }
      }
      if (!problems.equals(List.of("ok"))) {
        throw new SQLException("integrity check failed: " + String.join("; ", problems.subList(0,
            Math.min(5, problems.size()))));
      }
      for (String table : List.of("log", "current", "meta")) {
        try (ResultSet result = statement.executeQuery(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
          if (!result.next() || result.getInt(1) != 1) {
            throw new SQLException("not a minicluster store: table " + table + " is missing");
          }
        }
      }
      return new Summary(revision(statement), single(statement, "SELECT count(*) FROM current"));
    }
  }

  /**
   * Prepares a restored copy to replace a store that was at {@code replacedRevision}: the revision moves past both, and
   * everything before it counts as compacted, so clients that watched the replaced store relist (410 Gone) instead of
   * missing or misreading changes (as etcd's snapshot restore with --bump-revision --mark-compacted). Returns the new
   * revision.
   */
  public static long markRestored(Path database, long replacedRevision) throws SQLException {
    requireNonNull(database, "database is null");
    try (Connection connection = open(database, false); Statement statement = connection.createStatement()) {
      long revision = Math.max(revision(statement), replacedRevision) + 1;
      try (PreparedStatement upsert = connection.prepareStatement(
          "INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)")) {
        for (String name : List.of(SqliteLog.META_REVISION, SqliteLog.META_COMPACTED)) {
          upsert.setString(1, name);
          upsert.setLong(2, revision);
          upsert.addBatch();
        }
        upsert.executeBatch();
      }
      return revision;
    }
  }

  /** The newest revision of {@code database}, 0 when it cannot be read. */
  public static long revisionOrZero(Path database) {
    if (!Files.isRegularFile(database)) {
      return 0;
    }
    try (Connection connection = open(database, true); Statement statement = connection.createStatement()) {
      return revision(statement);
    } catch (SQLException e) {
      return 0;
    }
  }

  private static long revision(Statement statement) throws SQLException {
    long fromMeta = single(statement, "SELECT COALESCE(MAX(value), 0) FROM meta WHERE name = '"
        + SqliteLog.META_REVISION + "'");
    return Math.max(fromMeta, single(statement, "SELECT COALESCE(MAX(revision), 0) FROM log"));
  }

  private static long single(Statement statement, String query) throws SQLException {
    try (ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static Connection open(Path database, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath(), config.toProperties());
  }
}
