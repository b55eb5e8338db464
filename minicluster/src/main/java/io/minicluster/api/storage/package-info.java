/**
 * Typed, immutable read models of the storage.k8s.io/v1 kinds consumers read from informers: StorageClass.
 * Conventions as in {@link io.minicluster.api.meta}.
 */
package io.minicluster.api.storage;
