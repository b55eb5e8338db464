/**
 * Typed, immutable read models of the batch/v1 kinds (k8s.io/api/batch/v1): Job and CronJob, and the CronJob
 * schedule. Conventions as in {@link io.minicluster.api.meta}.
 */
package io.minicluster.api.batch;
