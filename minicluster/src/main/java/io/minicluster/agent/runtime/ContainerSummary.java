package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of {@link ContainerRuntime#listContainers(Map)}; {@link ContainerRuntime#inspect(String)} for details.
 *
 * @param id engine container id
 * @param name engine container name (without leading "/")
 * @param state created, running, exited
 * @param image image reference
 * @param imageId image id
 * @param createdAt creation time (second precision)
 * @param labels all labels
 */
public record ContainerSummary(
    String id, String name, ContainerState state, String image, String imageId, Instant createdAt,
    Map<String, String> labels) {

  public ContainerSummary {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(state, "state is null");
    requireNonNull(image, "image is null");
    requireNonNull(imageId, "imageId is null");
    requireNonNull(createdAt, "createdAt is null");
    labels = Map.copyOf(requireNonNull(labels, "labels is null"));
  }

  public String podUid() {
    return labels.getOrDefault(RuntimeLabels.POD_UID, "");
  }

  public boolean sandbox() {
    return RuntimeLabels.TYPE_SANDBOX.equals(labels.get(RuntimeLabels.TYPE));
  }

  public String containerName() {
    return labels.getOrDefault(RuntimeLabels.CONTAINER_NAME, "");
  }
}
