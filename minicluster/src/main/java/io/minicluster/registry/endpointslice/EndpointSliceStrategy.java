package io.minicluster.registry.endpointslice;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** discovery.k8s.io/v1 EndpointSlices: port name "" and protocol TCP by default; ValidateEndpointSlice. */
public final class EndpointSliceStrategy implements Strategy {
  public static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");

  @Override
  public ResourceType type() {
    return ResourceTypes.ENDPOINT_SLICES;
  }

  @Override
  public void applyDefaults(ObjectNode slice) {
    for (ObjectNode port : Json.objects(slice, "ports")) {
      if (!Json.has(port, "name")) {
        port.put("name", "");
      }
      Json.defaultText(port, "protocol", "TCP");
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode slice) {
    List<FieldError> errors = new ArrayList<>();
    String addressType = Json.text(slice, "addressType");
    errors.addAll(PodSpecValidation.oneOf(addressType, "addressType", ADDRESS_TYPES));
    List<JsonNode> endpoints = Json.elements(slice, "endpoints");
    if (endpoints.size() > 1000) {
      errors.add(FieldError.tooMany("endpoints", endpoints.size(), 1000));
    }
    for (int i = 0; i < endpoints.size(); i++) {
      String at = "endpoints[" + i + "]";
      List<String> addresses = Json.strings(endpoints.get(i), "addresses");
      if (addresses.isEmpty()) {
        errors.add(FieldError.required(at + ".addresses", "must contain at least 1 address"));
      } else if (addresses.size() > 100) {
        errors.add(FieldError.tooMany(at + ".addresses", addresses.size(), 100));
      }
      for (int j = 0; j < addresses.size(); j++) {
        String address = addresses.get(j);
        String addressPath = at + ".addresses[" + j + "]";
        boolean ok = switch (addressType) {
          case "IPv4" -> Formats.isIpv4(address);
          case "IPv6" -> Formats.isIp(address) && address.contains(":");
          case "FQDN" -> Formats.dns1123Subdomain(address).isEmpty();
          default -> true;
        };
        if (!ok) {
          errors.add(FieldError.invalid(addressPath, address, "must be a valid " + addressType + " address"));
        }
      }
      String nodeName = Json.text(endpoints.get(i), "nodeName");
      if (!nodeName.isEmpty()) {
        for (String message : Formats.dns1123Subdomain(nodeName)) {
          errors.add(FieldError.invalid(at + ".nodeName", nodeName, message));
        }
      }
    }
    List<JsonNode> ports = Json.elements(slice, "ports");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String at = "ports[" + i + "]";
      String name = Json.text(port, "name");
      if (!name.isEmpty()) {
        for (String message : Formats.dns1123Label(name)) {
          errors.add(FieldError.invalid(at + ".name", name, message));
        }
      }
      if (!names.add(name)) {
        errors.add(FieldError.duplicate(at + ".name", name));
      }
      Long number = Json.numberOrNull(port, "port");
      if (number != null) {
        for (String message : Formats.portNumber(number)) {
          errors.add(FieldError.invalid(at + ".port", number, message));
        }
      }
      errors.addAll(PodSpecValidation.oneOf(Json.text(port, "protocol"), at + ".protocol",
          PodSpecValidation.PROTOCOLS));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode slice, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(slice));
    String addressType = Json.text(slice, "addressType");
    if (!addressType.equals(Json.text(old, "addressType"))) {
      errors.add(FieldError.invalid("addressType", addressType, "field is immutable"));
    }
    return errors;
  }
}
