package io.minicluster.registry.persistentvolume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * core/v1 PersistentVolumes, as pkg/registry/core/persistentvolume: persistentVolumeReclaimPolicy Retain, volumeMode
 * Filesystem, status phase Pending (with lastPhaseTransitionTime) on create and a new transition time whenever a
 * status write changes the phase; ValidatePersistentVolume (access modes, a positive storage capacity, exactly one
 * volume source) and the volume source, volumeMode and node affinity fixed once set.
 */
public final class PersistentVolumeStrategy implements Strategy {
  public static final List<String> RECLAIM_POLICIES = List.of("Delete", "Recycle", "Retain");
  /** The volume sources of PersistentVolumeSource, in the order ValidatePersistentVolumeSpec counts them. */
  static final List<String> SOURCES = List.of("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs",
      "flocker", "nfs", "rbd", "quobyte", "cephfs", "iscsi", "cinder", "fc", "flexVolume", "azureFile",
      "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi");
  private static final List<String> HOST_PATH_TYPES = List.of("", "BlockDevice", "CharDevice", "Directory",
      "DirectoryOrCreate", "File", "FileOrCreate", "Socket");

  private final Clock clock;

  public PersistentVolumeStrategy() {
    this(Clock.systemUTC());
  }

  /** @param clock the time of phase transitions */
  public PersistentVolumeStrategy(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public ResourceType type() {
    return ResourceTypes.PERSISTENT_VOLUMES;
  }

  @Override
  public void applyDefaults(ObjectNode volume) {
    ObjectNode spec = Json.with(volume, "spec");
    Json.defaultText(spec, "persistentVolumeReclaimPolicy", "Retain");
    Json.defaultText(spec, "volumeMode", "Filesystem");
    PodSpecDefaults.canonicalizeQuantities(Json.object(spec, "capacity"));
  }

  @Override
  public void prepareForCreate(ObjectNode volume) {
    volume.putObject("status").put("phase", "Pending").put("lastPhaseTransitionTime", Meta.timestamp(clock.instant()));
  }

  @Override
  public void prepareForStatusUpdate(ObjectNode volume, ObjectNode old) {
    Strategy.super.prepareForStatusUpdate(volume, old);
    String phase = Json.text(Json.get(volume, "status"), "phase");
    JsonNode oldStatus = Json.get(old, "status");
    if (!phase.equals(Json.text(oldStatus, "phase")) && Objects.equals(
        Json.get(Json.get(volume, "status"), "lastPhaseTransitionTime"), Json.get(oldStatus, "lastPhaseTransitionTime"))) {
      Json.with(volume, "status").put("lastPhaseTransitionTime", Meta.timestamp(clock.instant()));
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode volume) {
    JsonNode spec = Json.get(volume, "spec");
    List<FieldError> errors = new ArrayList<>(VolumeRules.accessModes(spec, "spec.accessModes", ""));
    List<String> capacity = Json.keys(spec, "capacity");
    if (capacity.isEmpty()) {
      errors.add(FieldError.required("spec.capacity", ""));
    }
    if (!capacity.contains("storage") || capacity.size() > 1) {
      errors.add(FieldError.notSupported("spec.capacity", GoValue.stringMap(Json.get(spec, "capacity")),
          List.of("storage")));
    }
    for (String name : capacity) {
      errors.addAll(VolumeRules.positiveQuantity(spec.get("capacity").get(name), "spec.capacity[" + name + "]"));
    }
    errors.addAll(VolumeRules.className(Json.text(spec, "storageClassName"), "spec.storageClassName"));
    errors.addAll(VolumeRules.volumeMode(spec, "spec.volumeMode"));
    String policy = Json.text(spec, "persistentVolumeReclaimPolicy");
    if (!policy.isEmpty() && !RECLAIM_POLICIES.contains(policy)) {
      errors.add(FieldError.notSupported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES));
    }
    int sources = 0;
    for (String source : SOURCES) {
      JsonNode value = Json.get(spec, source);
      if (value == null || value.isNull()) {
        continue;
      }
      if (sources > 0) {
        errors.add(FieldError.forbidden("spec." + source, "may not specify more than 1 volume type"));
        continue;
      }
      sources++;
      errors.addAll(validateSource(source, value, "spec." + source));
      if (source.equals("local") && Json.get(spec, "nodeAffinity") == null) {
        errors.add(FieldError.required("spec.nodeAffinity", "Local volume requires node affinity"));
      }
    }
    if (sources == 0) {
      errors.add(FieldError.required("spec", "must specify a volume type"));
    }
    String hostPath = Json.text(Json.get(spec, "hostPath"), "path");
    if (Json.has(spec, "hostPath") && policy.equals("Recycle") && hostPath.replaceAll("/+", "/").equals("/")) {
      errors.add(FieldError.forbidden("spec.persistentVolumeReclaimPolicy",
          "may not be 'recycle' for a hostPath mount of '/'"));
    }
    return errors;
  }

  private static List<FieldError> validateSource(String source, JsonNode value, String path) {
    List<FieldError> errors = new ArrayList<>();
    switch (source) {
      case "hostPath" -> {
        if (Json.text(value, "path").isEmpty()) {
          errors.add(FieldError.required(path + ".path", ""));
        }
        String type = Json.textOrNull(value, "type");
        if (type != null && !HOST_PATH_TYPES.contains(type)) {
          errors.add(FieldError.notSupported(path + ".type", type, HOST_PATH_TYPES));
        }
      }
      case "local" -> {
        String local = Json.text(value, "path");
        if (local.isEmpty()) {
          errors.add(FieldError.required(path + ".path", ""));
        } else if (!local.startsWith("/")) {
          errors.add(FieldError.invalid(path + ".path", local, "must be an absolute path"));
        } else if (List.of(local.split("/")).contains("..")) {
          errors.add(FieldError.invalid(path + ".path", local, "must not contain '..'"));
        }
      }
      case "nfs" -> {
        if (Json.text(value, "server").isEmpty()) {
          errors.add(FieldError.required(path + ".server", ""));
        }
        String nfsPath = Json.text(value, "path");
        if (nfsPath.isEmpty()) {
          errors.add(FieldError.required(path + ".path", ""));
        } else if (!nfsPath.startsWith("/")) {
          errors.add(FieldError.invalid(path + ".path", nfsPath, "must be an absolute path"));
        }
      }
      case "csi" -> {
        if (Json.text(value, "driver").isEmpty()) {
          errors.add(FieldError.required(path + ".driver", ""));
        }
        if (Json.text(value, "volumeHandle").isEmpty()) {
          errors.add(FieldError.required(path + ".volumeHandle", ""));
        }
      }
      default -> { }
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode volume, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(volume));
    JsonNode spec = Json.get(volume, "spec");
    JsonNode oldSpec = Json.get(old, "spec");
    for (String source : SOURCES) {
      if (!Objects.equals(Json.get(spec, source), Json.get(oldSpec, source))) {
        errors.add(FieldError.forbidden("spec.persistentvolumesource",
            "spec.persistentvolumesource is forbidden once created"));
        break;
      }
    }
    String mode = Json.textOrNull(spec, "volumeMode");
    if (!Objects.equals(mode, Json.textOrNull(oldSpec, "volumeMode"))) {
      errors.add(FieldError.invalid("volumeMode", mode == null ? new GoValue("null") : mode,
          ObjectMetaValidation.IMMUTABLE));
    }
    JsonNode affinity = Json.get(oldSpec, "nodeAffinity");
    if (affinity != null && !affinity.equals(Json.get(spec, "nodeAffinity"))) {
      errors.add(FieldError.invalid("nodeAffinity", new GoValue(String.valueOf(Json.get(spec, "nodeAffinity"))),
          ObjectMetaValidation.IMMUTABLE));
    }
    return errors;
  }
}
