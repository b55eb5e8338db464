/**
 * Typed, immutable read models of the apps/v1 kinds consumers read from informers (k8s.io/api/apps/v1): ReplicaSet
 * and Deployment. Conventions as in {@link io.minicluster.api.meta}.
 */
package io.minicluster.api.apps;
