package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import io.minicluster.registry.persistentvolume.VolumeRules;
import io.minicluster.registry.storageclass.StorageClassStrategy;
import java.util.ArrayList;
import java.util.List;

/** Printers of the storage kinds: PersistentVolume, PersistentVolumeClaim and StorageClass. */
final class StoragePrinters {
  /** The annotation that named a volume's class before storageClassName (GetPersistentVolumeClass reads it first). */
  private static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

  private StoragePrinters() {}

  static TablePrinter persistentVolume() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Capacity", "capacity is the description of the persistent volume's resources and capacity. "
            + "More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
        Column.string("Access Modes", "accessModes contains all ways the volume can be mounted. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
        Column.string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume "
            + "when released from its claim. Valid options are Retain (default for manually created "
            + "PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle "
            + "(deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More "
            + "info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
        Column.string("Status", "phase indicates if a volume is available, bound to a claim, or released by a "
            + "claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
        Column.string("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and "
            + "PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative "
            + "bind between PV and PVC. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
        Column.string("StorageClass", "StorageClass of the pv"),
        Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
        Column.string("Reason", "reason is a brief CamelCase string that describes any failure and is meant for "
            + "machine parsing and tidy display in the CLI."),
        Column.creationAge(),
        Column.wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted "
            + "filesystem or to remain in raw block state. Value of Filesystem is implied when not included in "
            + "spec.")),
        (object, now) -> {
          JsonNode spec = object.path("spec");
          JsonNode claimRef = spec.get("claimRef");
          String claim = claimRef == null || claimRef.isNull() ? ""
              : Fields.text(claimRef, "namespace") + "/" + Fields.text(claimRef, "name");
          String phase = Fields.text(object, "metadata", "deletionTimestamp").isEmpty()
              ? Fields.text(object, "status", "phase") : "Terminating";
          String volumeClass = annotation(object, BETA_CLASS_ANNOTATION);
          if (volumeClass == null) {
            volumeClass = Fields.text(spec, "storageClassName");
          }
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(quantity(spec.path("capacity").get("storage")));
          cells.add(VolumeRules.accessModesShort(Json.strings(spec, "accessModes")));
          cells.add(Fields.text(spec, "persistentVolumeReclaimPolicy"));
          cells.add(phase);
          cells.add(claim);
          cells.add(volumeClass);
          cells.add(unsetIfNull(spec, "volumeAttributesClassName"));
          cells.add(Fields.text(object, "status", "reason"));
          cells.add(Fields.age(object, now));
          cells.add(unsetIfNull(spec, "volumeMode"));
          return cells;
        });
  }

  static TablePrinter persistentVolumeClaim() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
        Column.string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        Column.string("Capacity", "capacity represents the actual resources of the underlying volume."),
        Column.string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC "
            + "has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
        Column.string("StorageClass", "StorageClass of the pvc"),
        Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
        Column.creationAge(),
        Column.wide("VolumeMode", "volumeMode defines what type of volume is required by the claim. Value of "
            + "Filesystem is implied when not included in claim spec.")),
        (object, now) -> {
          JsonNode spec = object.path("spec");
          String phase = Fields.text(object, "metadata", "deletionTimestamp").isEmpty()
              ? Fields.text(object, "status", "phase") : "Terminating";
          String claimClass = annotation(object, BETA_CLASS_ANNOTATION);
          if (claimClass == null) {
            claimClass = Fields.text(spec, "storageClassName");
          }
          String volumeName = Fields.text(spec, "volumeName");
          String capacity = "";
          String accessModes = "";
          if (!volumeName.isEmpty()) {
            accessModes = VolumeRules.accessModesShort(Json.strings(object.path("status"), "accessModes"));
            capacity = quantity(object.path("status").path("capacity").get("storage"));
          }
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(phase);
          cells.add(volumeName);
          cells.add(capacity);
          cells.add(accessModes);
          cells.add(claimClass.isEmpty() ? "<unset>" : claimClass);
          cells.add(unsetIfNull(spec, "volumeAttributesClassName"));
          cells.add(Fields.age(object, now));
          cells.add(unsetIfNull(spec, "volumeMode"));
          return cells;
        });
  }

  static TablePrinter storageClass() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Provisioner", "Indicates the type of the provisioner."),
        Column.string("ReclaimPolicy", "Indicates the type of the reclaim policy."),
        Column.string("VolumeBindingMode", "Indicates when volume binding and dynamic provisioning should occur."),
        Column.string("AllowVolumeExpansion", "Indicates whether the storage class allow volume expand."),
        Column.creationAge()),
        (object, now) -> {
          String name = Fields.name(object);
          if (StorageClassStrategy.isDefault(object)) {
            name += " (default)";
          }
          String reclaimPolicy = Json.textOrNull(object, "reclaimPolicy");
          String bindingMode = Json.textOrNull(object, "volumeBindingMode");
          List<Object> cells = new ArrayList<>();
          cells.add(name);
          cells.add(Fields.text(object, "provisioner"));
          cells.add(reclaimPolicy == null ? "Delete" : reclaimPolicy);
          cells.add(bindingMode == null ? "Immediate" : bindingMode);
          cells.add(Fields.isTrue(object, "allowVolumeExpansion"));
          cells.add(Fields.age(object, now));
          return cells;
        });
  }

  private static String annotation(ObjectNode object, String key) {
    return Json.textOrNull(object, "metadata", "annotations", key);
  }

  private static String unsetIfNull(JsonNode spec, String field) {
    String value = Json.textOrNull(spec, field);
    return value == null ? "<unset>" : value;
  }

  /** Quantity.String() of a quantity in wire form: "0" when absent. */
  private static String quantity(JsonNode value) {
    if (value == null || value.isNull()) {
      return "0";
    }
    try {
      return Quantity.fromJson(value).toString();
    } catch (IllegalArgumentException e) {
      return value.asText();
    }
  }
}
