package io.minicluster.agent.probe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** What the probes say about running containers, as a pod's sync reads it ({@link ProbeManager} keeps them). */
public interface ProbeResults {

  /** Whether a container is ready: its readiness result, true without a readiness probe. */
  boolean ready(String containerId, ObjectNode container);

  /** Whether a container has started: its startup probe succeeded, or it has none. */
  boolean started(String containerId, ObjectNode container);

  /** The failure that requires a restart (liveness, or startup past its threshold), if any. */
  Optional<ProbeType> restartNeeded(String containerId);
}
