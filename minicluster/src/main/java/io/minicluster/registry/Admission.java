package io.minicluster.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;

/**
 * Checks and mutations that span resources and run on every write, after defaulting and before validation, like
 * the apiserver's admission plugins (NamespaceLifecycle, service IP allocation, ...). Throw ApiException to reject.
 */
public interface Admission {
  default void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {}

  default void admitUpdate(ResourceType type, ObjectNode object, ObjectNode old, WriteOptions options) {}

  /** Before a delete takes effect (also for dry runs). */
  default void admitDelete(ResourceType type, ObjectNode object) {}

  /** After an object left the store for good (not called for dry runs). */
  default void deleted(ResourceType type, ObjectNode object) {}
}
