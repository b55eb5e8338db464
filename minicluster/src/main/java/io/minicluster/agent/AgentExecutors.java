package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The threads the node agent runs on, built and shut down by the wiring (tests pass direct executors).
 *
 * @param probes runs probes
 * @param stops stops containers (each stop waits out its grace period)
 * @param terminations runs the syncs of pods being deleted, aside from the pod workers
 * @param timers the relist and the probe tick
 */
public record AgentExecutors(Executor probes, Executor stops, Executor terminations,
    ScheduledExecutorService timers) {
  public AgentExecutors {
    requireNonNull(probes, "probes is null");
    requireNonNull(stops, "stops is null");
    requireNonNull(terminations, "terminations is null");
    requireNonNull(timers, "timers is null");
  }
}
