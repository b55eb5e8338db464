package io.minicluster.registry.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.json.Json;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Nodes: allocatable defaults to capacity; taints validated (key, value, effect, unique key+effect). */
public final class NodeStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.NODES;
  }

  @Override
  public void applyDefaults(ObjectNode node) {
    ObjectNode status = Json.object(node, "status");
    if (status != null && Json.has(status, "capacity") && !Json.has(status, "allocatable")) {
      status.set("allocatable", status.get("capacity").deepCopy());
    }
  }

  /** Nodes are registered with their status by the node agent: keep it on create. */
  @Override
  public void prepareForCreate(ObjectNode node) {}

  @Override
  public List<FieldError> validate(ObjectNode node) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> taints = Json.elements(Json.get(node, "spec"), "taints");
    Set<String> unique = new HashSet<>();
    for (int i = 0; i < taints.size(); i++) {
      JsonNode taint = taints.get(i);
      String at = "spec.taints[" + i + "]";
      String key = Json.text(taint, "key");
      errors.addAll(ObjectMetaValidation.validateQualifiedName(key, at + ".key"));
      String value = Json.text(taint, "value");
      List<String> messages = Formats.labelValue(value);
      if (!messages.isEmpty()) {
        errors.add(FieldError.invalid(at + ".value", value, String.join(";", messages)));
      }
      String effect = Json.text(taint, "effect");
      errors.addAll(PodSpecValidation.oneOf(effect, at + ".effect", PodSpecValidation.TAINT_EFFECTS));
      if (!unique.add(effect + "\u0000" + key)) {
        errors.add(new FieldError(FieldError.Type.DUPLICATE, at, new GoValue("core.Taint{Key:" + GoValue.quote(key)
            + ", Value:" + GoValue.quote(value) + ", Effect:" + GoValue.quote(effect) + ", TimeAdded:<nil>}"),
            "taints must be unique by key and effect pair"));
      }
    }
    String podCidr = Json.text(Json.get(node, "spec"), "podCIDR");
    if (!podCidr.isEmpty() && !isCidr(podCidr)) {
      errors.add(FieldError.invalid("spec.podCIDRs[0]", podCidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
          + "2001:db8::/64)"));
    }
    return errors;
  }

  private static boolean isCidr(String value) {
    int slash = value.indexOf('/');
    if (slash < 0 || !Formats.isIp(value.substring(0, slash))) {
      return false;
    }
    try {
      int bits = Integer.parseInt(value.substring(slash + 1));
      return bits >= 0 && bits <= (value.contains(":") ? 128 : 32);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public boolean hasGeneration() {
    return false;
  }
}
