package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.AdmissionRequest;
import java.util.Optional;
import java.util.function.Function;

/**
 * The PersistentVolumeClaimResize admission plugin (plugin/pkg/admission/storage/persistentvolume/resize): a claim's
 * storage request may grow only once it is bound, and only when its storage class allows volume expansion.
 */
public final class PersistentVolumeClaimResize implements Admission {
  private static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

  private final Function<String, Optional<ObjectNode>> storageClass;

  /** @param storageClass finds a StorageClass by name */
  public PersistentVolumeClaimResize(Function<String, Optional<ObjectNode>> storageClass) {
    this.storageClass = requireNonNull(storageClass, "storageClass is null");
  }

  @Override
  public void validate(AdmissionRequest request) {
    if (request.type() != ResourceTypes.PERSISTENT_VOLUME_CLAIMS
        || request.operation() != AdmissionRequest.Operation.UPDATE || !request.subresource().isEmpty()
        || request.oldObject() == null || request.object() == null) {
      return;
    }
    Quantity newSize = storage(request.object());
    Quantity oldSize = storage(request.oldObject());
    if (newSize == null || (oldSize != null && newSize.compareTo(oldSize) <= 0)) {
      return;
    }
    if (!"Bound".equals(Json.text(request.oldObject().path("status"), "phase"))) {
      throw ApiException.forbidden(request.type(), request.name(),
          "Only bound persistent volume claims can be expanded");
    }
    String className = className(request.object());
    boolean allowed = !className.isEmpty() && className.equals(className(request.oldObject()))
        && storageClass.apply(className).map(found -> Json.bool(found, "allowVolumeExpansion")).orElse(false);
    if (!allowed) {
      throw ApiException.forbidden(request.type(), request.name(), "only dynamically provisioned pvc can be resized "
          + "and the storageclass that provisions the pvc must support resize");
    }
  }

  private static Quantity storage(ObjectNode claim) {
    JsonNode storage = Json.at(claim, "spec", "resources", "requests", "storage");
    return storage == null || storage.isNull() ? null : Quantity.fromJson(storage);
  }

  /** GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName. */
  private static String className(ObjectNode claim) {
    String annotated = Json.textOrNull(claim, "metadata", "annotations", BETA_CLASS_ANNOTATION);
    return annotated != null ? annotated : Json.text(claim.path("spec"), "storageClassName");
  }
}
