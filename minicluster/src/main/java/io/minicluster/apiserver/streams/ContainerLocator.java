package io.minicluster.apiserver.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Finds the engine container running a pod's container (provided by the node agent). */
@FunctionalInterface
public interface ContainerLocator {
  /** The container id of {@code containerName} in {@code pod}, empty when it has no (current) container. */
  Optional<String> containerId(ObjectNode pod, String containerName);
}
