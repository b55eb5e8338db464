/**
 * Typed, immutable read models of autoscaling/v2 (k8s.io/api/autoscaling/v2): the HorizontalPodAutoscaler with
 * its resource metrics and scaling behavior, as the autoscaler reads them. Conventions as in
 * {@link io.minicluster.api.meta}.
 */
package io.minicluster.api.autoscaling;
