package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A local image, for the node's {@code status.images}.
 *
 * @param id image id ("sha256:...")
 * @param names repo tags and repo digests
 * @param sizeBytes size
 */
public record ImageSummary(String id, List<String> names, long sizeBytes) {
  public ImageSummary {
    requireNonNull(id, "id is null");
    names = List.copyOf(requireNonNull(names, "names is null"));
  }
}
