package io.minicluster.registry.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.Strategy;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/** ServiceAccounts: metadata only, plus named references in secrets and imagePullSecrets. */
public final class ServiceAccountStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.SERVICE_ACCOUNTS;
  }

  @Override
  public List<FieldError> validate(ObjectNode serviceAccount) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> pullSecrets = Json.elements(serviceAccount, "imagePullSecrets");
    for (int i = 0; i < pullSecrets.size(); i++) {
      if (Json.text(pullSecrets.get(i), "name").isEmpty()) {
        errors.add(FieldError.required("imagePullSecrets[" + i + "].name", ""));
      }
    }
    return errors;
  }

  @Override
  public boolean hasGeneration() {
    return false;
  }
}
