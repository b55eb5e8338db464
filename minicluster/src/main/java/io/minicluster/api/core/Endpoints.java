package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;
import java.util.List;

/** v1.Endpoints as consumers read it from an informer. */
public record Endpoints(ObjectMeta metadata, List<EndpointSubset> subsets) {

  public Endpoints {
    requireNonNull(metadata, "metadata is null");
    subsets = List.copyOf(subsets);
  }

  public static Endpoints from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Endpoints(ObjectMeta.of(object), JsonValues.list(object, "subsets", EndpointSubset::from));
  }
}
