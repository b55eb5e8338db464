package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;

/**
 * One write, or one connection to a pod's stream, as the admission chain's webhooks and policies see it
 * (admission.Attributes).
 *
 * @param operation CREATE, UPDATE, DELETE, or CONNECT
 * @param type the stored type written
 * @param subresource "" for the object itself, else e.g. "status"
 * @param namespace the namespace ("" for cluster-scoped objects)
 * @param name the object's name ("" when not known yet, a generated name)
 * @param object the new object (null for DELETE; the connection's options, e.g. a PodExecOptions, for CONNECT);
 *     mutating admission changes it in place
 * @param oldObject the stored object (null for CREATE)
 * @param dryRun whether the write is a dry run
 * @param requester who writes and where warnings go
 */
public record AdmissionRequest(Operation operation, ResourceType type, String subresource, String namespace,
    String name, ObjectNode object, ObjectNode oldObject, boolean dryRun, Requester requester) {
  /** The operations of admission.Operation: those of writes, and CONNECT, a stream's (exec, attach, portforward). */
  public enum Operation { CREATE, UPDATE, DELETE, CONNECT }

  public AdmissionRequest {
    requireNonNull(operation, "operation is null");
    requireNonNull(type, "type is null");
    requireNonNull(subresource, "subresource is null");
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    requireNonNull(requester, "requester is null");
  }
}
