/**
 * Typed, immutable read models of the policy/v1 kinds consumers read from informers (k8s.io/api/policy/v1):
 * PodDisruptionBudget, and the budget rules the eviction subresource and the disruption controller share
 * (k8s.io/component-helpers/apps/poddisruptionbudget). Conventions as in {@link io.minicluster.api.meta}.
 */
package io.minicluster.api.policy;
