package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.registry.FieldTrackers;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.registry.WriteOptions;

/**
 * The write options of the objects the API server makes itself at start (the default namespaces, the kubernetes
 * service and its endpoints, the bootstrap RBAC policy, the flow-control configuration): their managed fields name
 * {@code kube-apiserver}, as on a real cluster.
 *
 * @param trackers the field tracking of in-process writes
 */
record ApiserverWrites(FieldTrackers trackers) {
  static final String MANAGER = "kube-apiserver";

  /** Writes that record no managed fields (tests of the bootstrap content alone). */
  static final ApiserverWrites UNTRACKED = new ApiserverWrites(FieldTrackers.NONE);

  ApiserverWrites {
    requireNonNull(trackers, "trackers is null");
  }

  /** The options of a write to {@code registry}, of the object or of its status. */
  WriteOptions options(GenericRegistry registry, UpdateKind kind) {
    return new WriteOptions(false, null, trackers.tracking(registry.type(),
        kind == UpdateKind.STATUS ? "status" : "", kind, MANAGER));
  }
}
