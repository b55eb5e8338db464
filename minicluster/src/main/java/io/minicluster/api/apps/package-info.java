/**
 * Typed, immutable read models of the apps/v1 kinds consumers read from informers (k8s.io/api/apps/v1): ReplicaSet,
 * Deployment, DaemonSet, StatefulSet and ControllerRevision. Conventions as in {@link io.minicluster.api.meta}.
 */
package io.minicluster.api.apps;
