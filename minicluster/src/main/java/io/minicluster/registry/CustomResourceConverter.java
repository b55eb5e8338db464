package io.minicluster.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.apiextensions.CustomResourceDefinition;
import java.util.List;

/**
 * Converts custom resources between the versions of a definition whose conversion strategy is Webhook: the wiring
 * implements it by calling the definition's conversion webhook (a ConversionReview), as the apiextensions-apiserver's
 * webhook converter does.
 */
@FunctionalInterface
public interface CustomResourceConverter {
  /** No webhook can be called (a test cluster without the API server). */
  CustomResourceConverter NONE = (definition, objects, apiVersion) -> {
    throw ApiException.internal("conversion webhook for " + definition.name() + " cannot be called here");
  };

  /**
   * @param definition the definition, its strategy Webhook
   * @param objects objects of the definition, none already in {@code apiVersion}
   * @param apiVersion the version they are wanted in, {@code <group>/<version>}
   * @return the converted objects, in the same order, each with the metadata of its original but for labels and
   *     annotations
   * @throws ApiException 500 when the webhook could not be called, refused, or answered with something else than
   *     the objects converted
   */
  List<ObjectNode> convert(CustomResourceDefinition definition, List<ObjectNode> objects, String apiVersion);
}
