/**
 * Typed, immutable read models of object metadata (k8s.io/apimachinery/pkg/apis/meta/v1), shared by the kinds in
 * {@code api.core}, {@code api.apps} and {@code api.discovery}.
 *
 * <p>Conventions of every read model (Go zero values, as the Kubernetes Go types behave): an absent string is "", an
 * absent list {@code List.of()}, an absent map {@code Map.of()}, an absent value struct an empty instance; Go pointer
 * fields ({@code *int32}, {@code *int64}, {@code *bool}, {@code *string} and pointer structs such as probes or volume
 * sources) are nullable so that "unset" stays distinguishable; timestamps are {@link java.time.Instant}, null when
 * absent; quantities are {@link io.minicluster.api.resource.Quantity}. Collections are unmodifiable
 * ({@code List.copyOf}, {@code Map.copyOf}); maps have no defined order, as Go maps. Decoding ({@code from}) never
 * throws on absent or mistyped fields.
 */
package io.minicluster.api.meta;
