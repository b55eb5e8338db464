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

  /**
   * After a create or update ended, stored or not (rejected, failed, a dry run), with the object given to
   * admitCreate or admitUpdate; also called when the write ended before admission. A plugin lets go here of what it
   * held for the write in flight (the service allocator: addresses given but not yet stored).
   */
  default void writeFinished(ResourceType type, ObjectNode object) {}

  /** Before a delete takes effect (also for dry runs). */
  default void admitDelete(ResourceType type, ObjectNode object) {}

  /** After an object left the store for good (not called for dry runs). */
  default void deleted(ResourceType type, ObjectNode object) {}

  /**
   * Mutating admission of external parties (webhooks), after the plugins above and before validation: may change
   * {@code request.object()} in place. Also called for deletes (object null), before they take effect.
   */
  default void mutate(AdmissionRequest request) {}

  /** Validating admission (webhooks, policies), after the kind's validation passed and before the store write. */
  default void validate(AdmissionRequest request) {}

  /**
   * Admission of a connection to a subresource (a pod's exec, attach or portforward) before it is opened, its object
   * the request's options (PodExecOptions...): the webhooks whose rules name the CONNECT operation.
   */
  default void connect(AdmissionRequest request) {}
}
