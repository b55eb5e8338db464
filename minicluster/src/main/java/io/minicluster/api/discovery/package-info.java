/**
 * Typed, immutable read models of discovery.k8s.io/v1 (k8s.io/api/discovery/v1): EndpointSlice. Conventions as in
 * {@link io.minicluster.api.meta}; most fields of this group are pointers in Go, hence nullable here.
 */
package io.minicluster.api.discovery;
