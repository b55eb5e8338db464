package io.minicluster.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The durable, versioned key-value store behind the API server (etcd's role; kine's design on SQLite).
 *
 * <p>Every successful write gets the next value of one global, monotonically increasing revision, which the API
 * server exposes as {@code metadata.resourceVersion}. A write method returns only after the write is durable. Values
 * are opaque bytes (serialized objects without their resourceVersion; the registry injects it on read).
 *
 * <p>Keys look like {@code /registry/core/pods/default/web}; prefixes select a resource type or one namespace.
 */
public interface Store extends AutoCloseable {

  /**
   * One stored key at one revision. {@code createRevision} is the revision at which the key was created. The value is
   * held packed (see {@link PackedValue}); {@link #value()} gives it in a new array each call.
   */
  final class Entry {
    private final String key;
    private final long revision;
    private final long createRevision;
    private final PackedValue value;

    /** An entry holding {@code value}, which the caller must not change afterwards. */
    public Entry(String key, long revision, long createRevision, byte[] value) {
      this(key, revision, createRevision, PackedValue.pack(requireNonNull(key, "key is null"), value));
    }

    Entry(String key, long revision, long createRevision, PackedValue value) {
      this.key = requireNonNull(key, "key is null");
      this.revision = revision;
      this.createRevision = createRevision;
      this.value = requireNonNull(value, "value is null");
    }

    public String key() {
      return key;
    }

    public long revision() {
      return revision;
    }

    public long createRevision() {
      return createRevision;
    }

    public byte[] value() {
      return value.unpack();
    }

    PackedValue packed() {
      return value;
    }

    @Override
    public String toString() {
      return "Entry[key=" + key + ", revision=" + revision + ", createRevision=" + createRevision + ", "
          + value.length() + " bytes]";
    }
  }

  /** A consistent snapshot of the keys under a prefix, and the store revision it reflects. */
  record ListResult(List<Entry> entries, long revision, boolean more) {
    public ListResult {
      entries = List.copyOf(entries);
    }
  }

  /**
   * A change, as delivered to watchers in revision order. For DELETED, value is the last value before deletion. The
   * value is held packed, the same instance as the entry of that revision holds; {@link #value()} gives it in a new
   * array each call.
   */
  final class Event {
    public enum Type {
      ADDED,
      MODIFIED,
      DELETED
    }

    private final Type type;
    private final String key;
    private final long revision;
    private final PackedValue value;

    /** An event holding {@code value}, which the caller must not change afterwards. */
    public Event(Type type, String key, long revision, byte[] value) {
      this(type, key, revision, PackedValue.pack(requireNonNull(key, "key is null"), value));
    }

    Event(Type type, String key, long revision, PackedValue value) {
      this.type = requireNonNull(type, "type is null");
      this.key = requireNonNull(key, "key is null");
      this.revision = revision;
      this.value = requireNonNull(value, "value is null");
    }

    public Type type() {
      return type;
    }

    public String key() {
      return key;
    }

    public long revision() {
      return revision;
    }

    public byte[] value() {
      return value.unpack();
    }

    PackedValue packed() {
      return value;
    }

    @Override
    public String toString() {
      return "Event[type=" + type + ", key=" + key + ", revision=" + revision + ", " + value.length() + " bytes]";
    }
  }

  /** Receives watch events. Called from a store thread, in revision order; must not block for long. */
  interface WatchListener {
    void onEvent(Event event);

    /**
     * Called once per {@link Store#watch} registration when the store has delivered every event up to
     * {@code revision} (used for bookmarks). Optional.
     */
    default void onProgress(long revision) {}

    /** The watch ended from the store's side (store closed or watcher too slow); no further events follow. */
    default void onClose(String reason) {}
  }

  /** A registered watch. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  /** The newest revision written. */
  long revision();

  /** The oldest revision from which {@link #watch} can still replay history. */
  long compactedRevision();

  Optional<Entry> get(String key);

  /**
   * Keys under {@code prefix} in key order, starting strictly after {@code startAfter} (null for the start), at most
   * {@code limit} entries (0 = no limit); {@code more} says whether further keys exist.
   */
  ListResult list(String prefix, String startAfter, int limit);

  /** Creates a key; fails with {@link StoreException.AlreadyExists} if it exists. Durable when it returns. */
  default Entry create(String key, byte[] value) {
    return create(key, value, Duration.ZERO);
  }

  /**
   * Creates a key that the store deletes once {@code ttl} has passed (watchers see DELETED), as etcd deletes a key
   * attached to a lease; a zero {@code ttl} never expires. The expiry survives restarts.
   */
  Entry create(String key, byte[] value, Duration ttl);

  /**
   * Replaces the value of a key if its current revision equals {@code expectedRevision} (0 = any revision). Fails
   * with {@link StoreException.NotFound} or {@link StoreException.Conflict}. Durable when it returns. The key no
   * longer expires.
   */
  default Entry update(String key, long expectedRevision, byte[] value) {
    return update(key, expectedRevision, value, Duration.ZERO);
  }

  /** As {@link #update(String, long, byte[])}; the key expires {@code ttl} from now (zero: never). */
  Entry update(String key, long expectedRevision, byte[] value, Duration ttl);

  /**
   * Deletes a key if its current revision equals {@code expectedRevision} (0 = any). Returns the entry as it was,
   * carrying the revision of the deletion. Durable when it returns.
   */
  Entry delete(String key, long expectedRevision);

  /**
   * Watches keys under {@code prefix} for changes with a revision greater than {@code afterRevision}; past events
   * still in history are replayed first. Fails with {@link StoreException.Compacted} if {@code afterRevision} is
   * older than {@link #compactedRevision()}.
   */
  Watch watch(String prefix, long afterRevision, WatchListener listener);

  @Override
  void close();
}
