package io.minicluster.controller.podtemplate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.json.Json;
import java.util.List;

/** Pods made from an owner's pod template (controller.GetPodFromTemplate). */
public final class PodTemplates {
  private PodTemplates() {}

  /**
   * A pod of the template: its labels, annotations, finalizers and spec (copied), a controller reference to the owner,
   * the owner's namespace and the given generateName.
   */
  public static ObjectNode podFromTemplate(ResourceType ownerType, ObjectMeta owner, ObjectNode template,
      String generateName) {
    requireNonNull(ownerType, "ownerType is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(template, "template is null");
    requireNonNull(generateName, "generateName is null");
    ObjectNode pod = Json.object();
    ObjectNode metadata = pod.putObject("metadata");
    metadata.put("generateName", generateName);
    metadata.put("namespace", owner.namespace());
    for (String field : List.of("labels", "annotations", "finalizers")) {
      JsonNode value = Json.at(template, "metadata", field);
      if (value != null && !value.isNull()) {
        metadata.set(field, value.deepCopy());
      }
    }
    metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(ownerType, owner));
    JsonNode spec = template.get("spec");
    pod.set("spec", spec == null ? Json.object() : spec.deepCopy());
    return pod;
  }
}
