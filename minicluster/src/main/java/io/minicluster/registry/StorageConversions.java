package io.minicluster.registry;

import io.minicluster.api.ResourceType;

/**
 * The conversions the registries apply, chosen by the wiring: the registry root only knows the
 * {@link StorageConversion} contract, the conversions themselves live with their kinds.
 */
public interface StorageConversions {
  /** How a stored type's objects are converted on their way to and from the store ({@code IDENTITY} for most). */
  StorageConversion storage(ResourceType type);

  /**
   * For an older version served as a view of a stored version's registry, the conversion between the two; null for
   * a type served as it is stored.
   */
  StorageConversion olderVersion(ResourceType type);

  /** No conversions: every type is stored and served as it is. */
  StorageConversions NONE = new StorageConversions() {
    @Override
    public StorageConversion storage(ResourceType type) {
      return StorageConversion.IDENTITY;
    }

    @Override
    public StorageConversion olderVersion(ResourceType type) {
      return null;
    }
  };
}
