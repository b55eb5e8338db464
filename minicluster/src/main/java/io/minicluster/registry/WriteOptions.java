package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

/**
 * Options of create, update and patch calls.
 *
 * @param dryRun {@code dryRun=All}: run everything but the store write
 * @param fieldManager the writer's field manager name, may be null
 * @param tracking records the write's managed fields in the object stored
 * @param requester who writes, for admission (webhooks see the user)
 */
public record WriteOptions(boolean dryRun, String fieldManager, FieldTracking tracking, Requester requester) {
  public static final WriteOptions DEFAULT = new WriteOptions(false, null);

  public WriteOptions {
    requireNonNull(tracking, "tracking is null");
    requireNonNull(requester, "requester is null");
  }

  /** Options of the daemon's own writes, whose managed fields are not tracked. */
  public WriteOptions(boolean dryRun, String fieldManager) {
    this(dryRun, fieldManager, FieldTracking.NONE, Requester.IN_PROCESS);
  }

  /** Options of the daemon's own writes with this tracking. */
  public WriteOptions(boolean dryRun, String fieldManager, FieldTracking tracking) {
    this(dryRun, fieldManager, tracking, Requester.IN_PROCESS);
  }

  /** Options of a requester's write whose managed fields are not tracked. */
  public WriteOptions(boolean dryRun, String fieldManager, Requester requester) {
    this(dryRun, fieldManager, FieldTracking.NONE, requester);
  }

  /** These options with another tracking. */
  public WriteOptions withTracking(FieldTracking tracking) {
    return new WriteOptions(dryRun, fieldManager, tracking, requester);
  }

  /** These options with another requester. */
  public WriteOptions withRequester(Requester requester) {
    return new WriteOptions(dryRun, fieldManager, tracking, requester);
  }
}
