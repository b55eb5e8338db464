package io.minicluster.registry.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.configmap.ConfigMapStrategy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Secrets: type Opaque by default, stringData merged into data (as the v1 conversion does), ValidateSecret (keys,
 * 1 MiB, per-type required keys) and ValidateSecretUpdate (type and immutable data).
 */
public final class SecretStrategy implements Strategy {
  public static final String SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name";

  @Override
  public ResourceType type() {
    return ResourceTypes.SECRETS;
  }

  @Override
  public void applyDefaults(ObjectNode secret) {
    Json.defaultText(secret, "type", "Opaque");
    ObjectNode stringData = Json.object(secret, "stringData");
    if (stringData != null) {
      ObjectNode data = Json.with(secret, "data");
      stringData.fields().forEachRemaining(entry -> data.put(entry.getKey(),
          Base64.getEncoder().encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    }
    secret.remove("stringData");
  }

  @Override
  public List<FieldError> validate(ObjectNode secret) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode data = Json.get(secret, "data");
    List<String> keys = Json.keys(secret, "data");
    long total = 0;
    for (String key : keys) {
      for (String message : Formats.configMapKey(key)) {
        errors.add(FieldError.invalid("data[" + key + "]", key, message));
      }
      total += ConfigMapStrategy.decodedLength(data.get(key).asText());
    }
    if (total > ConfigMapStrategy.MAX_SIZE) {
      errors.add(FieldError.tooLong("data", "", ConfigMapStrategy.MAX_SIZE));
    }
    switch (Json.text(secret, "type")) {
      case "kubernetes.io/service-account-token" -> {
        JsonNode annotations = Json.get(Json.get(secret, "metadata"), "annotations");
        if (Json.text(annotations, SERVICE_ACCOUNT_NAME_ANNOTATION).isEmpty()) {
          errors.add(FieldError.required("metadata.annotations[" + SERVICE_ACCOUNT_NAME_ANNOTATION + "]", ""));
        }
      }
      case "kubernetes.io/dockercfg" -> errors.addAll(jsonKey(data, keys, ".dockercfg"));
      case "kubernetes.io/dockerconfigjson" -> errors.addAll(jsonKey(data, keys, ".dockerconfigjson"));
      case "kubernetes.io/basic-auth" -> {
        if (!keys.contains("username") && !keys.contains("password")) {
          errors.add(FieldError.required("data[username]", ""));
          errors.add(FieldError.required("data[password]", ""));
        }
      }
      case "kubernetes.io/ssh-auth" -> {
        if (!keys.contains("ssh-privatekey") || Json.text(data, "ssh-privatekey").isEmpty()) {
          errors.add(FieldError.required("data[ssh-privatekey]", ""));
        }
      }
      case "kubernetes.io/tls" -> {
        if (!keys.contains("tls.crt")) {
          errors.add(FieldError.required("data[tls.crt]", ""));
        }
        if (!keys.contains("tls.key")) {
          errors.add(FieldError.required("data[tls.key]", ""));
        }
      }
      default -> {
        // Opaque and custom types: no required keys
      }
    }
    return errors;
  }

  private static List<FieldError> jsonKey(JsonNode data, List<String> keys, String key) {
    if (!keys.contains(key)) {
      return List.of(FieldError.required("data[" + key + "]", ""));
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(Json.text(data, key));
      Json.parseObject(bytes);
      return List.of();
    } catch (RuntimeException e) {
      return List.of(FieldError.invalid("data[" + key + "]", "<secret contents redacted>",
          "invalid character in JSON content"));
    }
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode secret, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    String type = Json.text(secret, "type");
    if (!Objects.equals(type, Json.text(old, "type"))) {
      errors.add(FieldError.invalid("type", type, "field is immutable"));
    }
    errors.addAll(ConfigMapStrategy.immutableChanges(secret, old, "data"));
    errors.addAll(validate(secret));
    return errors;
  }
}
