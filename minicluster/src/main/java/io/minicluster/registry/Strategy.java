package io.minicluster.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.validation.NameValidator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Per-resource behaviour of the generic registry, as Kubernetes' rest.RESTCreateStrategy / RESTUpdateStrategy:
 * defaulting, preparation and validation. The generic registry does everything common to all resources (object
 * metadata checks and system fields: uid, timestamps, resourceVersion, generation, deletion); a strategy only
 * handles what is specific to its kind. Objects are the wire JSON trees and may be modified in place.
 */
public interface Strategy {

  ResourceType type();

  /**
   * The metadata.name rule of this kind, for ObjectMetaValidation (most kinds: DNS-1123 subdomain; services:
   * DNS-1035 label; namespaces: DNS-1123 label).
   */
  default NameValidator nameValidator() {
    return NameValidator.DNS1123_SUBDOMAIN;
  }

  /**
   * The fields of a written object that {@link #applyDefaults} would drop because the kind's schema does not know them
   * (a custom resource's structural pruning), as paths ("spec.foo", "spec.items[0].bar"), so that field validation can
   * refuse (Strict) or warn about (Warn) them as the apiserver does. Built-in kinds: none (their decoder checks).
   */
  default List<String> unknownFields(ObjectNode object) {
    return List.of();
  }

  /** Fills defaults as the apiserver's defaulting functions do (SetDefaults_Pod and friends). Idempotent. */
  default void applyDefaults(ObjectNode object) {}

  /** Before create: for kinds with a status subresource, reset status to its initial value. */
  default void prepareForCreate(ObjectNode object) {
    if (type().hasStatus()) {
      object.remove("status");
    }
  }

  /** Before an update of the main resource: for kinds with a status subresource, keep the old status. */
  default void prepareForUpdate(ObjectNode object, ObjectNode old) {
    if (type().hasStatus()) {
      if (old.has("status")) {
        object.set("status", old.get("status").deepCopy());
      } else {
        object.remove("status");
      }
    }
  }

  /** Before an update through the status subresource: keep everything but status (and labels/annotations stay). */
  default void prepareForStatusUpdate(ObjectNode object, ObjectNode old) {
    ObjectNode status = object.has("status") && object.get("status").isObject()
        ? (ObjectNode) object.get("status") : null;
    Iterator<String> names = object.fieldNames();
    List<String> drop = new ArrayList<>();
    names.forEachRemaining(n -> {
      if (!n.equals("metadata") && !n.equals("status") && !n.equals("apiVersion") && !n.equals("kind")) {
        drop.add(n);
      }
    });
    object.remove(drop);
    old.fieldNames().forEachRemaining(n -> {
      if (!n.equals("metadata") && !n.equals("status") && !n.equals("apiVersion") && !n.equals("kind")) {
        object.set(n, old.get(n).deepCopy());
      }
    });
    if (status == null) {
      object.remove("status");
    }
  }

  /**
   * Before a delete of an object not yet being deleted, what the kind's REST storage does first (CustomResource-
   * Definitions take their cleanup finalizer and a Terminating condition): returns the object the delete goes on
   * with, a changed copy or {@code object} itself. Default: nothing.
   */
  default ObjectNode prepareForDelete(ObjectNode object) {
    return object;
  }

  /** Kind-specific validation of a new object (metadata is validated by the generic registry). */
  List<FieldError> validate(ObjectNode object);

  /** Kind-specific validation of an update (immutable fields and the like), plus {@link #validate}. */
  default List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
    return validate(object);
  }

  /** Validation of a status update. */
  default List<FieldError> validateStatusUpdate(ObjectNode object, ObjectNode old) {
    return List.of();
  }

  /**
   * Whether a change between old and new counts as a spec change that bumps metadata.generation. Default: any
   * difference outside metadata and status.
   */
  default boolean specChanged(ObjectNode object, ObjectNode old) {
    ObjectNode a = object.deepCopy();
    ObjectNode b = old.deepCopy();
    a.remove(List.of("metadata", "status", "apiVersion", "kind"));
    b.remove(List.of("metadata", "status", "apiVersion", "kind"));
    return !a.equals(b);
  }

  /** Whether objects of this kind have metadata.generation (kinds with spec). */
  default boolean hasGeneration() {
    return type().hasStatus();
  }

  /** Whether objects of this kind may be created/updated with an empty namespace etc. Default: false. */
  default boolean allowCreateOnUpdate() {
    return false;
  }
}
