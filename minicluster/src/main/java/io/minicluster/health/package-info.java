/**
 * Liveness of the daemon's core loops: each loop reports the work it has in flight on a {@link
 * io.minicluster.health.Heartbeat}, and {@link io.minicluster.health.Liveness} turns a loop stuck on one item for
 * longer than a threshold into a failed check of {@code /livez}. Imports nothing of the daemon, so that {@code store}
 * and {@code client} may report through it.
 */
package io.minicluster.health;
