package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.storageclass.StorageClassStrategy;
import java.util.List;
import java.util.function.Supplier;

/**
 * The DefaultStorageClass admission plugin: a new PersistentVolumeClaim that names no class (storageClassName unset,
 * and no beta class annotation) gets the default StorageClass, the newest one when several are marked default (the
 * first by name among equally new ones); with
 * none it is left unset. An empty storageClassName ("") asks for no class and stays.
 */
public final class DefaultStorageClass implements Admission {
  private static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

  private final Supplier<List<ObjectNode>> storageClasses;

  /** @param storageClasses lists every StorageClass */
  public DefaultStorageClass(Supplier<List<ObjectNode>> storageClasses) {
    this.storageClasses = requireNonNull(storageClasses, "storageClasses is null");
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {
    if (type != ResourceTypes.PERSISTENT_VOLUME_CLAIMS) {
      return;
    }
    JsonNode className = Json.at(object, "spec", "storageClassName");
    if (className != null && !className.isNull()
        || Json.textOrNull(object, "metadata", "annotations", BETA_CLASS_ANNOTATION) != null) {
      return;
    }
    DefaultClasses.newest(storageClasses.get(), StorageClassStrategy::isDefault)
        .ifPresent(c -> Json.with(object, "spec").put("storageClassName", Meta.name(c)));
  }
}
