package io.minicluster.registry;

/**
 * Options of create, update and patch calls.
 *
 * @param dryRun {@code dryRun=All}: run everything but the store write
 * @param fieldManager the writer's field manager name, may be null
 */
public record WriteOptions(boolean dryRun, String fieldManager) {
  public static final WriteOptions DEFAULT = new WriteOptions(false, null);
}
