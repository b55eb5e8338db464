package io.minicluster.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Records who wrote which fields in the object a write is about to store ({@code metadata.managedFields}): the API
 * server supplies one per request; writes without one keep the managedFields the object carries.
 */
@FunctionalInterface
public interface FieldTracking {
  /** Tracks nothing. */
  FieldTracking NONE = (old, object) -> { };

  /**
   * Called once the object is defaulted and prepared by the kind's strategy, before admission and validation.
   *
   * @param old the stored object, null on create
   * @param object the object to store; its managedFields are set here
   */
  void track(ObjectNode old, ObjectNode object);
}
