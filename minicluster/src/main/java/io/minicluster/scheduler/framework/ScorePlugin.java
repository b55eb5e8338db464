package io.minicluster.scheduler.framework;

import io.minicluster.api.core.Pod;

/** Ranks a feasible node for a pod: 0 (worst) to {@link #MAX_SCORE} (best). */
public interface ScorePlugin {
  long MAX_SCORE = 100;

  String name();

  long score(Pod pod, NodeInfo node);
}
