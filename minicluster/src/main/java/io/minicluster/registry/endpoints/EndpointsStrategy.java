package io.minicluster.registry.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/** v1 Endpoints: port protocol TCP by default; ValidateEndpoints (subsets, addresses, ports). */
public final class EndpointsStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.ENDPOINTS;
  }

  @Override
  public void applyDefaults(ObjectNode endpoints) {
    for (ObjectNode subset : Json.objects(endpoints, "subsets")) {
      for (ObjectNode port : Json.objects(subset, "ports")) {
        Json.defaultText(port, "protocol", "TCP");
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode endpoints) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> subsets = Json.elements(endpoints, "subsets");
    for (int i = 0; i < subsets.size(); i++) {
      JsonNode subset = subsets.get(i);
      String at = "subsets[" + i + "]";
      if (Json.elements(subset, "addresses").isEmpty() && Json.elements(subset, "notReadyAddresses").isEmpty()) {
        errors.add(FieldError.required(at, "must specify `addresses` or `notReadyAddresses`"));
      }
      for (String list : List.of("addresses", "notReadyAddresses")) {
        List<JsonNode> addresses = Json.elements(subset, list);
        for (int j = 0; j < addresses.size(); j++) {
          errors.addAll(validateAddress(addresses.get(j), at + "." + list + "[" + j + "]"));
        }
      }
      List<JsonNode> ports = Json.elements(subset, "ports");
      for (int j = 0; j < ports.size(); j++) {
        JsonNode port = ports.get(j);
        String portPath = at + ".ports[" + j + "]";
        String name = Json.text(port, "name");
        if (ports.size() > 1 && name.isEmpty()) {
          errors.add(FieldError.required(portPath + ".name", ""));
        } else if (!name.isEmpty()) {
          for (String message : Formats.dns1123Label(name)) {
            errors.add(FieldError.invalid(portPath + ".name", name, message));
          }
        }
        long number = Json.number(port, "port", 0);
        for (String message : Formats.portNumber(number)) {
          errors.add(FieldError.invalid(portPath + ".port", number, message));
        }
        errors.addAll(PodSpecValidation.oneOf(Json.text(port, "protocol"), portPath + ".protocol",
            PodSpecValidation.PROTOCOLS));
      }
    }
    return errors;
  }

  private static List<FieldError> validateAddress(JsonNode address, String path) {
    List<FieldError> errors = new ArrayList<>();
    String ip = Json.text(address, "ip");
    if (!Formats.isIp(ip)) {
      errors.add(FieldError.invalid(path + ".ip", ip, "must be a valid IP address"));
    }
    String hostname = Json.text(address, "hostname");
    if (!hostname.isEmpty()) {
      for (String message : Formats.dns1123Label(hostname)) {
        errors.add(FieldError.invalid(path + ".hostname", hostname, message));
      }
    }
    String nodeName = Json.text(address, "nodeName");
    if (!nodeName.isEmpty()) {
      for (String message : Formats.dns1123Subdomain(nodeName)) {
        errors.add(FieldError.invalid(path + ".nodeName", nodeName, message));
      }
    }
    return errors;
  }
}
