package io.minicluster.registry.configmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.registry.Strategy;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/** ConfigMaps: ValidateConfigMap (config keys, no key in both data and binaryData, 1 MiB total) and immutability. */
public final class ConfigMapStrategy implements Strategy {
  /** core.MaxSecretSize, also the limit of a config map's data. */
  public static final int MAX_SIZE = 1024 * 1024;
  public static final String IMMUTABLE_MESSAGE = "field is immutable when `immutable` is set";

  @Override
  public ResourceType type() {
    return ResourceTypes.CONFIG_MAPS;
  }

  @Override
  public List<FieldError> validate(ObjectNode configMap) {
    List<FieldError> errors = new ArrayList<>();
    long total = 0;
    List<String> binaryKeys = Json.keys(configMap, "binaryData");
    JsonNode data = Json.get(configMap, "data");
    for (String key : Json.keys(configMap, "data")) {
      for (String message : Formats.configMapKey(key)) {
        errors.add(FieldError.invalid("data[" + key + "]", key, message));
      }
      if (binaryKeys.contains(key)) {
        errors.add(FieldError.invalid("data[" + key + "]", key, "duplicate of key present in binaryData"));
      }
      total += data.get(key).asText().getBytes(StandardCharsets.UTF_8).length;
    }
    JsonNode binary = Json.get(configMap, "binaryData");
    for (String key : binaryKeys) {
      for (String message : Formats.configMapKey(key)) {
        errors.add(FieldError.invalid("binaryData[" + key + "]", key, message));
      }
      total += decodedLength(binary.get(key).asText());
    }
    if (total > MAX_SIZE) {
      errors.add(FieldError.tooLong("", "", MAX_SIZE));
    }
    return errors;
  }

  /** The length of base64 content once decoded (0 when it is not valid base64). */
  public static long decodedLength(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode configMap, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(immutableChanges(configMap, old, "data", "binaryData"));
    errors.addAll(validate(configMap));
    return errors;
  }

  /** When the old object was immutable: neither the flag nor the given data fields may change. */
  public static List<FieldError> immutableChanges(ObjectNode object, ObjectNode old, String... dataFields) {
    List<FieldError> errors = new ArrayList<>();
    if (!Json.bool(old, "immutable")) {
      return errors;
    }
    if (!Objects.equals(Json.get(object, "immutable"), Json.get(old, "immutable"))) {
      errors.add(FieldError.forbidden("immutable", IMMUTABLE_MESSAGE));
    }
    for (String field : dataFields) {
      if (!sameMap(Json.get(object, field), Json.get(old, field))) {
        errors.add(FieldError.forbidden(field, IMMUTABLE_MESSAGE));
      }
    }
    return errors;
  }

  private static boolean sameMap(JsonNode a, JsonNode b) {
    boolean emptyA = a == null || a.isEmpty();
    boolean emptyB = b == null || b.isEmpty();
    return emptyA && emptyB || Objects.equals(a, b);
  }
}
