package io.minicluster.agent.probe;

import io.minicluster.api.core.Container;
import java.util.Optional;

/** What the probes say about running containers, as a pod's sync reads it ({@link ProbeManager} keeps them). */
public interface ProbeResults {

  /** Whether a container is ready: its readiness result, true without a readiness probe. */
  boolean ready(String containerId, Container container);

  /** Whether a container has started: its startup probe succeeded, or it has none. */
  boolean started(String containerId, Container container);

  /** The failure that requires a restart (liveness, or startup past its threshold), if any. */
  Optional<ProbeType> restartNeeded(String containerId);
}
