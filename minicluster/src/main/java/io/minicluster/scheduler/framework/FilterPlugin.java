package io.minicluster.scheduler.framework;

import io.minicluster.api.core.Pod;

/** Decides whether a pod may run on a node. Never throws for "does not fit": returns a non-success {@link Status}. */
public interface FilterPlugin {
  String name();

  Status filter(Pod pod, NodeInfo node);
}
