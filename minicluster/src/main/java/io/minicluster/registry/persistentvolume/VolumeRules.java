package io.minicluster.registry.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.resource.Quantity;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/** The checks PersistentVolumes and PersistentVolumeClaims share (pkg/apis/core/validation). */
public final class VolumeRules {
  /** supportedAccessModes, sorted as sets.List gives them. */
  public static final List<String> ACCESS_MODES =
      List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  public static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
  public static final String NOT_POSITIVE = "must be greater than zero";

  private VolumeRules() {}

  /** The access modes: each supported, ReadWriteOncePod alone; "required" is the detail when there are none. */
  public static List<FieldError> accessModes(JsonNode spec, String path, String required) {
    List<FieldError> errors = new ArrayList<>();
    List<String> modes = Json.strings(spec, "accessModes");
    if (modes.isEmpty()) {
      errors.add(FieldError.required(path, required));
    }
    boolean once = false;
    boolean other = false;
    for (String mode : modes) {
      if (!ACCESS_MODES.contains(mode)) {
        errors.add(FieldError.notSupported(path, mode, ACCESS_MODES));
      } else if (mode.equals("ReadWriteOncePod")) {
        once = true;
      } else {
        other = true;
      }
    }
    if (once && other) {
      errors.add(FieldError.forbidden(path, "may not use ReadWriteOncePod with other access modes"));
    }
    return errors;
  }

  /** ValidatePositiveQuantityValue of a quantity in wire form (an unparsable one fails at decoding, as upstream). */
  public static List<FieldError> positiveQuantity(JsonNode value, String path) {
    Quantity quantity;
    try {
      quantity = Quantity.fromJson(value);
    } catch (IllegalArgumentException e) {
      return List.of(FieldError.invalid(path, value.asText(), e.getMessage()));
    }
    if (quantity.signum() <= 0) {
      return List.of(FieldError.invalid(path, quantity.toString(), NOT_POSITIVE));
    }
    return List.of();
  }

  /** ValidateClassName of a storage class name given in a spec: a DNS subdomain. */
  public static List<FieldError> className(String name, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (!name.isEmpty()) {
      for (String message : Formats.dns1123Subdomain(name)) {
        errors.add(FieldError.invalid(path, name, message));
      }
    }
    return errors;
  }

  /** A volumeMode, when set: Block or Filesystem. */
  public static List<FieldError> volumeMode(JsonNode spec, String path) {
    String mode = Json.textOrNull(spec, "volumeMode");
    if (mode != null && !VOLUME_MODES.contains(mode)) {
      return List.of(FieldError.notSupported(path, mode, VOLUME_MODES));
    }
    return List.of();
  }

  /** GetAccessModesAsString: the modes present, in the order RWO, ROX, RWX, RWOP, comma-joined. */
  public static String accessModesShort(List<String> modes) {
    List<String> out = new ArrayList<>();
    if (modes.contains("ReadWriteOnce")) {
      out.add("RWO");
    }
    if (modes.contains("ReadOnlyMany")) {
      out.add("ROX");
    }
    if (modes.contains("ReadWriteMany")) {
      out.add("RWX");
    }
    if (modes.contains("ReadWriteOncePod")) {
      out.add("RWOP");
    }
    return String.join(",", out);
  }
}
