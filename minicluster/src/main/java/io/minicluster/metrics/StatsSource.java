package io.minicluster.metrics;

import java.util.Optional;

/** Where readings come from: the container engine for containers, the host for the node. */
public interface StatsSource {
  /** One reading of a container by its engine id; empty if it is gone or does not run. May throw on engine errors. */
  Optional<Sample> container(String containerId);

  /** One reading of the whole node; empty if the host cannot tell. */
  Optional<Sample> node();
}
