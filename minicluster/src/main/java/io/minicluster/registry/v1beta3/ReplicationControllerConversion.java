package io.minicluster.registry.v1beta3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.StorageConversion;

/**
 * v1beta3 ReplicationControllers to and from the stored v1 ones: the pod template's spec converts as a Pod's (see
 * {@link PodSpecs}); the rest is named alike.
 */
public final class ReplicationControllerConversion implements StorageConversion {
  private static final String KIND = "ReplicationController";

  @Override
  public ResourceType storedAs(ResourceType served) {
    return ResourceTypes.REPLICATION_CONTROLLERS;
  }

  @Override
  public ObjectNode toStorage(ObjectNode served) {
    ObjectNode controller = Trees.typed(requireNonNull(served, "served is null"), "v1", KIND);
    Trees.rewrite(controller, "spec", spec -> {
      Trees.rewrite(spec, "template", template -> {
        Trees.rewrite(template, "spec", podSpec -> PodSpecs.specToV1(podSpec, KIND));
        return template;
      });
      return spec;
    });
    return controller;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    ObjectNode controller = Trees.typed(requireNonNull(stored, "stored is null"), "v1beta3", KIND);
    Trees.rewrite(controller, "spec", spec -> {
      Trees.rewrite(spec, "template", template -> {
        Trees.rewrite(template, "spec", PodSpecs::specFromV1);
        return template;
      });
      return spec;
    });
    return controller;
  }
}
