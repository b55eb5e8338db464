package io.minicluster.agent.runtime;

import java.util.Locale;

/** Engine container state, reduced to what the pod worker distinguishes. */
public enum ContainerState {
  CREATED,
  RUNNING,
  EXITED,
  /** Paused, restarting, being removed, dead, or not understood. */
  UNKNOWN;

  /** Maps an engine status word ("created", "running", "exited", ...). */
  public static ContainerState fromEngine(String status) {
    if (status == null) {
      return UNKNOWN;
    }
    switch (status.toLowerCase(Locale.ROOT)) {
      case "created":
        return CREATED;
      case "running":
        return RUNNING;
      case "exited":
        return EXITED;
      default:
        return UNKNOWN;
    }
  }
}
