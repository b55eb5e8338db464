package io.minicluster.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import java.util.List;

/**
 * The update rules of a subresource that writes its parent object with a strategy of its own, as Kubernetes gives
 * pods/binding and namespaces/finalize their own storage: the generic metadata rules (system fields, uid
 * precondition, metadata validation) still apply, the kind's main strategy does not. Only registry operations
 * (e.g. {@code registry.pod.BindingOperation}) hold one; no client can pass its own.
 */
public interface SubresourceStrategy {
  /** Resets in (a private copy of) the desired object what this subresource may not change, from the stored one. */
  void prepareForUpdate(ObjectNode object, ObjectNode old);

  /** The subresource's name, as admission sees the write (e.g. "binding"). */
  default String subresource() {
    return "";
  }

  /** Validation of the update, besides the object metadata's. */
  List<FieldError> validateUpdate(ObjectNode object, ObjectNode old);
}
