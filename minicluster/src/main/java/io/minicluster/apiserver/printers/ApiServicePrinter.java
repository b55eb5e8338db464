package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.util.List;

/**
 * kube-aggregator's APIService table (pkg/registry/apiservice/etcd): NAME, SERVICE ("Local" or namespace/name),
 * AVAILABLE (the Available condition's status, with its reason in parentheses unless True; "Unknown" without one),
 * AGE.
 */
final class ApiServicePrinter {
  private ApiServicePrinter() {}

  static TablePrinter create() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Service", "The reference to the service that hosts this API endpoint."),
        Column.string("Available", "Whether this service is available."),
        Column.creationAge()),
        (apiService, now) -> {
          JsonNode service = apiService.path("spec").get("service");
          String where = service == null || service.isNull() ? "Local"
              : Json.text(service, "namespace") + "/" + Json.text(service, "name");
          return List.of(Fields.name(apiService), where, available(apiService), Fields.age(apiService, now));
        });
  }

  private static String available(JsonNode apiService) {
    for (JsonNode condition : Fields.array(apiService, "status", "conditions")) {
      if ("Available".equals(Json.text(condition, "type"))) {
        String status = Json.text(condition, "status");
        return status.equals("True") ? status : status + " (" + Json.text(condition, "reason") + ")";
      }
    }
    return "Unknown";
  }
}
