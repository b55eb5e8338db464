package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

/**
 * Options of create, update and patch calls.
 *
 * @param dryRun {@code dryRun=All}: run everything but the store write
 * @param fieldManager the writer's field manager name, may be null
 * @param tracking records the write's managed fields in the object stored
 */
public record WriteOptions(boolean dryRun, String fieldManager, FieldTracking tracking) {
  public static final WriteOptions DEFAULT = new WriteOptions(false, null);

  public WriteOptions {
    requireNonNull(tracking, "tracking is null");
  }

  /** Options of a write whose managed fields are not tracked. */
  public WriteOptions(boolean dryRun, String fieldManager) {
    this(dryRun, fieldManager, FieldTracking.NONE);
  }

  /** These options with another tracking. */
  public WriteOptions withTracking(FieldTracking tracking) {
    return new WriteOptions(dryRun, fieldManager, tracking);
  }
}
