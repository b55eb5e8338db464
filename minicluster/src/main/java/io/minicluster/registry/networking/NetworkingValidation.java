package io.minicluster.registry.networking;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/** The checks pkg/apis/networking/validation shares between its kinds. */
final class NetworkingValidation {
  private NetworkingValidation() {}

  /**
   * validateIngressTypedLocalObjectReference (an Ingress's resource backend) and the first half of
   * validateIngressClassParametersReference: an optional API group that is a DNS subdomain, a kind and a name that
   * are path segments.
   */
  static List<FieldError> typedReference(JsonNode reference, String at) {
    List<FieldError> errors = new ArrayList<>();
    String group = Json.textOrNull(reference, "apiGroup");
    if (group != null) {
      for (String message : Formats.dns1123Subdomain(group)) {
        errors.add(FieldError.invalid(at + ".apiGroup", group, message));
      }
    }
    for (String field : List.of("kind", "name")) {
      String value = Json.text(reference, field);
      if (value.isEmpty()) {
        errors.add(FieldError.required(at + "." + field, ""));
      } else {
        for (String message : Formats.pathSegmentName(value, false)) {
          errors.add(FieldError.invalid(at + "." + field, value, message));
        }
      }
    }
    return errors;
  }
}
