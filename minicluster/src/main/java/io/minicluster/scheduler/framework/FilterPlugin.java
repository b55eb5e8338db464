package io.minicluster.scheduler.framework;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Decides whether a pod may run on a node. Never throws for "does not fit": returns a non-success {@link Status}. */
public interface FilterPlugin {
  String name();

  Status filter(ObjectNode pod, NodeInfo node);
}
