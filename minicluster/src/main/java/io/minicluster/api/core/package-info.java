/**
 * Typed, immutable read models of the core/v1 kinds consumers read from informers (k8s.io/api/core/v1): Pod, Node,
 * Service, Endpoints, Namespace, ReplicationController, ConfigMap, Secret and their parts. Conventions as in
 * {@link io.minicluster.api.meta}. The API server and registry keep JSON trees; these are for reading only.
 */
package io.minicluster.api.core;
