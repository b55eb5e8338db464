package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;

/**
 * Keeps the catalog of served custom resources in step with the CustomResourceDefinitions the shared informer sees:
 * a definition's resources are served once it is established (those in the store at start included) and stop being
 * served when it goes. The daemon's wiring and the controllers' test cluster both serve custom resources this way.
 */
public final class CustomResourceServing {
  private CustomResourceServing() {
  }

  /** Starts the definitions' informer with a handler that updates {@code resources}. */
  public static void follow(SharedInformers informers, CustomResources resources) {
    requireNonNull(resources, "resources is null");
    Informer<CustomResourceDefinition> definitions =
        requireNonNull(informers, "informers is null").informer(CustomResourceDefinition.READ_MODEL);
    definitions.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(CustomResourceDefinition definition) {
        resources.update(definition);
      }

      @Override
      public void onUpdate(CustomResourceDefinition old, CustomResourceDefinition definition) {
        resources.update(definition);
      }

      @Override
      public void onDelete(CustomResourceDefinition definition) {
        resources.remove(definition.name());
      }
    });
    definitions.start();
  }
}
