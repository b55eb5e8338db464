package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.quota.ResourceList;
import java.util.ArrayList;
import java.util.List;

/**
 * The printer of core ResourceQuotas (printResourceQuota): REQUEST and LIMIT list each resource of status.hard as
 * {@code name: used/hard}, sorted by name, the {@code limits.} ones under LIMIT and the others under REQUEST.
 */
final class ResourceQuotaPrinter {
  private ResourceQuotaPrinter() {}

  static TablePrinter create() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
        Column.string("Limit", "Limits control the maximum amount of cpu/memory that a container may use "
            + "independent of contention on the node."),
        Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), column(object, false), column(object, true),
            Fields.age(object, now)));
  }

  private static String column(JsonNode quota, boolean limits) {
    JsonNode status = quota.path("status");
    ResourceList hard = ResourceList.from(status, "hard");
    ResourceList used = ResourceList.from(status, "used");
    List<String> parts = new ArrayList<>();
    for (String resource : hard.names()) {
      if (resource.startsWith("limits.") == limits) {
        parts.add(resource + ": " + used.get(resource) + "/" + hard.get(resource));
      }
    }
    return String.join(", ", parts);
  }
}
