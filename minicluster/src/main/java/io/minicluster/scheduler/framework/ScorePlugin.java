package io.minicluster.scheduler.framework;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Ranks a feasible node for a pod: 0 (worst) to {@link #MAX_SCORE} (best). */
public interface ScorePlugin {
  long MAX_SCORE = 100;

  String name();

  long score(ObjectNode pod, NodeInfo node);
}
