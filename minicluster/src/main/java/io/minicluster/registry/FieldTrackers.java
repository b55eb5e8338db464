package io.minicluster.registry;

import io.minicluster.api.ResourceType;
import io.minicluster.registry.GenericRegistry.UpdateKind;

/**
 * The field tracking of the daemon's own writes: the in-process client asks it for each write, naming its writer by
 * user agent as a request without {@code fieldManager} is named. The API server's field manager implements it; the
 * wiring hands it to the in-process client.
 */
@FunctionalInterface
public interface FieldTrackers {
  /** Tracks no write. */
  FieldTrackers NONE = (type, subresource, kind, userAgent) -> FieldTracking.NONE;

  /**
   * The tracking of one write.
   *
   * @param type the type of the registry written
   * @param subresource the subresource written ("" for the resource)
   * @param kind whether the write is of the resource or of its status
   * @param userAgent the writer's user agent
   */
  FieldTracking tracking(ResourceType type, String subresource, UpdateKind kind, String userAgent);
}
