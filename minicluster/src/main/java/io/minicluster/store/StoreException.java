package io.minicluster.store;

/** Failures of {@link Store} operations that callers turn into API errors. */
public abstract class StoreException extends RuntimeException {
  private final String key;

  protected StoreException(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The key exists already. */
  public static final class AlreadyExists extends StoreException {
    public AlreadyExists(String key) {
      super(key, "key exists: " + key);
    }
  }

  /** The key does not exist. */
  public static final class NotFound extends StoreException {
    public NotFound(String key) {
      super(key, "key not found: " + key);
    }
  }

  /** The key's current revision is not the one expected. */
  public static final class Conflict extends StoreException {
    private final long actualRevision;

    public Conflict(String key, long actualRevision) {
      super(key, "revision mismatch for " + key + ": current " + actualRevision);
      this.actualRevision = actualRevision;
    }

    public long actualRevision() {
      return actualRevision;
    }
  }

  /** The requested revision is older than the kept history. */
  public static final class Compacted extends StoreException {
    private final long requested;
    private final long oldest;

    public Compacted(long requested, long oldest) {
      super(null, "too old resource version: " + requested + " (" + oldest + ")");
      this.requested = requested;
      this.oldest = oldest;
    }

    public long requested() {
      return requested;
    }

    public long oldest() {
      return oldest;
    }
  }

  /** The store cannot serve (closed, disk failure). */
  public static final class Unavailable extends StoreException {
    public Unavailable(String message, Throwable cause) {
      super(null, message);
      initCause(cause);
    }
  }
}
