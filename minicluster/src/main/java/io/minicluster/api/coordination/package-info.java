/**
 * Typed, immutable read models of the coordination.k8s.io/v1 kinds (k8s.io/api/coordination/v1): the Lease the
 * node agents renew as their heartbeat. Conventions as in {@link io.minicluster.api.meta}.
 */
package io.minicluster.api.coordination;
