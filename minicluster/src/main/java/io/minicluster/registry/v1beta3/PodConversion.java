package io.minicluster.registry.v1beta3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.StorageConversion;

/** v1beta3 Pods to and from the stored v1 Pods (see {@link PodSpecs} for what differs). */
public final class PodConversion implements StorageConversion {
  @Override
  public ResourceType storedAs(ResourceType served) {
    return ResourceTypes.PODS;
  }

  @Override
  public ObjectNode toStorage(ObjectNode served) {
    ObjectNode pod = Trees.typed(requireNonNull(served, "served is null"), "v1", "Pod");
    Trees.rewrite(pod, "spec", spec -> PodSpecs.specToV1(spec, "Pod"));
    Trees.rewrite(pod, "status", PodSpecs::statusToV1);
    return pod;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    ObjectNode pod = Trees.typed(requireNonNull(stored, "stored is null"), "v1beta3", "Pod");
    Trees.rewrite(pod, "spec", PodSpecs::specFromV1);
    Trees.rewrite(pod, "status", PodSpecs::statusFromV1);
    return pod;
  }
}
