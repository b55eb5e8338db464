package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;

/**
 * What a delete does to an object of one type, decided without the store (registry.Store's BeforeDelete,
 * deletionFinalizersForGarbageCollection and the pod's graceful deletion): preconditions, propagation-policy
 * finalizers, the grace period of pods bound to a node, a namespace's Terminating phase, and whether an object
 * waits for finalizers or goes at once.
 */
public final class DeletionRules {
  public static final String ORPHAN = "orphan";
  public static final String FOREGROUND = "foregroundDeletion";

  private final ResourceType type;

  public DeletionRules(ResourceType type) {
    this.type = requireNonNull(type, "type is null");
  }

  /** What the store is to do. */
  public enum Action {
    /** Nothing: the deletion is pending already, as asked. */
    NONE,
    /** Write the object marked for deletion (deletionTimestamp, finalizers): it waits for its finalizers or grace. */
    MARK,
    /** Remove the object now. */
    REMOVE
  }

  /** The outcome of a delete: the action and the object as it is to be written (or as it is, for NONE/REMOVE). */
  public record Plan(Action action, ObjectNode object) {
    public Plan {
      requireNonNull(action, "action is null");
      requireNonNull(object, "object is null");
    }
  }

  /**
   * The uid and resourceVersion preconditions of a delete.
   *
   * @throws ApiException 409 when one fails
   */
  public void checkPreconditions(ObjectNode current, DeleteOptions options) {
    String name = Meta.name(current);
    if (options.preconditionUid() != null && !options.preconditionUid().equals(Meta.uid(current))) {
      throw ApiException.conflict(type, name, "Precondition failed: UID in precondition: "
          + options.preconditionUid() + ", UID in object meta: " + Meta.uid(current));
    }
    if (options.preconditionResourceVersion() != null
        && !options.preconditionResourceVersion().equals(Meta.resourceVersion(current))) {
      throw ApiException.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
          + options.preconditionResourceVersion() + ", ResourceVersion in object meta: "
          + Meta.resourceVersion(current));
    }
  }

  /**
   * Decides a delete of the current object (which is not changed).
   *
   * @param now the time of the delete: deletionTimestamp is now plus the grace period
   * @throws ApiException 422 for an unknown propagation policy
   */
  public Plan plan(ObjectNode current, DeleteOptions options, Instant now) {
    ObjectNode object = current.deepCopy();
    ObjectNode metadata = Meta.metadata(object);
    boolean changed = false;
    String policy = options.propagationPolicy();
    if ("Foreground".equals(policy)) {
      changed |= addFinalizer(metadata, FOREGROUND);
      changed |= removeFinalizer(metadata, ORPHAN);
    } else if ("Orphan".equals(policy)) {
      changed |= addFinalizer(metadata, ORPHAN);
      changed |= removeFinalizer(metadata, FOREGROUND);
    } else if (policy != null && !policy.equals("Background")) {
      throw ApiException.invalid(type, Meta.name(current), List.of(FieldError.notSupported("propagationPolicy",
          policy, List.of("Foreground", "Background", "Orphan"))));
    }
    long grace = gracePeriod(current, options);
    boolean graceful = grace > 0;
    if (graceful) {
      JsonNode existingGrace = metadata.get("deletionGracePeriodSeconds");
      if (existingGrace == null || existingGrace.asLong() > grace) {
        metadata.put("deletionGracePeriodSeconds", grace);
        metadata.put("deletionTimestamp", Meta.timestamp(now.plusSeconds(grace)));
        changed = true;
      }
    } else if (isPod() && metadata.has("deletionGracePeriodSeconds")) {
      metadata.put("deletionGracePeriodSeconds", 0);
      changed = true;
    }
    if (!graceful && !hasFinalizers(object)) {
      return new Plan(Action.REMOVE, current);
    }
    if (type.kind().equals("Namespace") && type.group().isEmpty()
        && !"Terminating".equals(Json.textOrNull(object, "status", "phase"))) {
      Json.with(object, "status").put("phase", "Terminating");
      changed = true;
    }
    if (!metadata.has("deletionTimestamp")) {
      metadata.put("deletionTimestamp", Meta.timestamp(now));
      if (!metadata.has("deletionGracePeriodSeconds")) {
        metadata.put("deletionGracePeriodSeconds", 0);
      }
      changed = true;
    }
    return changed ? new Plan(Action.MARK, object) : new Plan(Action.NONE, current);
  }

  /**
   * Whether an object being deleted is to leave the store after this write: it has no finalizers left and no pod
   * grace period is running (such pods are removed by the node agent).
   */
  public boolean completes(ObjectNode object) {
    return Meta.deleting(object) && !hasFinalizers(object) && !gracePending(object);
  }

  /** metadata.finalizers, and for namespaces also spec.finalizers (the namespace controller empties them). */
  public boolean hasFinalizers(ObjectNode object) {
    JsonNode finalizers = Json.at(object, "metadata", "finalizers");
    if (finalizers != null && finalizers.isArray() && !finalizers.isEmpty()) {
      return true;
    }
    if (type.kind().equals("Namespace") && type.group().isEmpty()) {
      JsonNode specFinalizers = Json.at(object, "spec", "finalizers");
      return specFinalizers != null && specFinalizers.isArray() && !specFinalizers.isEmpty();
    }
    return false;
  }

  private boolean isPod() {
    return type.kind().equals("Pod") && type.group().isEmpty();
  }

  /** Pods with a grace period still running are removed by the node agent, not by the last finalizer. */
  private boolean gracePending(ObjectNode object) {
    if (!isPod()) {
      return false;
    }
    JsonNode grace = Json.at(object, "metadata", "deletionGracePeriodSeconds");
    return grace != null && grace.asLong() > 0;
  }

  /** The effective grace period: only pods bound to a node and not finished wait for their containers. */
  long gracePeriod(ObjectNode current, DeleteOptions options) {
    if (!isPod()) {
      return 0;
    }
    String nodeName = Json.textOrNull(current, "spec", "nodeName");
    String phase = Json.textOrNull(current, "status", "phase");
    if (nodeName == null || nodeName.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
      return 0;
    }
    Long requested = options.gracePeriodSeconds();
    if (requested != null) {
      return Math.max(0, requested);
    }
    JsonNode spec = Json.at(current, "spec", "terminationGracePeriodSeconds");
    long grace = spec != null && spec.canConvertToLong() ? spec.asLong() : 30;
    // a grace period of 0 from the spec still means "graceful, as fast as possible" (1 s), as in Kubernetes
    return grace <= 0 ? 1 : grace;
  }

  private static boolean addFinalizer(ObjectNode metadata, String finalizer) {
    JsonNode existing = metadata.get("finalizers");
    ArrayNode finalizers = existing instanceof ArrayNode array ? array : metadata.putArray("finalizers");
    for (JsonNode f : finalizers) {
      if (f.asText().equals(finalizer)) {
        return false;
      }
    }
    finalizers.add(finalizer);
    return true;
  }

  private static boolean removeFinalizer(ObjectNode metadata, String finalizer) {
    JsonNode existing = metadata.get("finalizers");
    if (!(existing instanceof ArrayNode finalizers)) {
      return false;
    }
    for (int i = 0; i < finalizers.size(); i++) {
      if (finalizers.get(i).asText().equals(finalizer)) {
        finalizers.remove(i);
        if (finalizers.isEmpty()) {
          metadata.remove("finalizers");
        }
        return true;
      }
    }
    return false;
  }
}
