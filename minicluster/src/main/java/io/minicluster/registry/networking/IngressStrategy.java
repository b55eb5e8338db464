package io.minicluster.registry.networking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * networking.k8s.io/v1 Ingresses, as pkg/registry/networking/ingress and pkg/apis/networking/validation: a generation
 * and a status subresource; ValidateIngressCreate / ValidateIngressUpdate (rules or a default backend, hosts that are
 * DNS names, a pathType on every path, one service or resource backend each, TLS hosts and secret names, the class
 * name and the legacy class annotation in agreement). Ingresses are stored only: minicluster runs no ingress
 * controller, so nothing fills their status but a client.
 */
public final class IngressStrategy implements Strategy {
  /** The annotation that named an Ingress's class before spec.ingressClassName. */
  public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
  private static final List<String> INVALID_PATH_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> INVALID_PATH_SUFFIXES = List.of("/..", "/.");
  private static final String WILDCARD_FORMAT = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern WILDCARD = Pattern.compile(WILDCARD_FORMAT);
  private static final String WILDCARD_MESSAGE = "a wildcard DNS-1123 subdomain must start with '*.', followed by a "
      + "valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
      + "alphanumeric character";

  @Override
  public ResourceType type() {
    return ResourceTypes.INGRESSES;
  }

  @Override
  public List<FieldError> validate(ObjectNode ingress) {
    List<FieldError> errors = new ArrayList<>(validateSpec(Json.get(ingress, "spec")));
    String annotation = Json.textOrNull(ingress, "metadata", "annotations", CLASS_ANNOTATION);
    String className = Json.textOrNull(ingress, "spec", "ingressClassName");
    if (annotation != null && className != null && !annotation.equals(className)) {
      errors.add(FieldError.invalid("annotations." + CLASS_ANNOTATION, annotation,
          "must match `ingressClassName` when both are specified"));
    }
    return errors;
  }

  /** ValidateIngressUpdate: the spec again, without the create-only annotation check. */
  @Override
  public List<FieldError> validateUpdate(ObjectNode ingress, ObjectNode old) {
    return validateSpec(Json.get(ingress, "spec"));
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode ingress, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> points = Json.elements(Json.at(ingress, "status", "loadBalancer"), "ingress");
    for (int i = 0; i < points.size(); i++) {
      String at = "status.loadBalancer.ingress[" + i + "]";
      String ip = Json.text(points.get(i), "ip");
      if (!ip.isEmpty() && !Formats.isIp(ip)) {
        errors.add(FieldError.invalid(at + ".ip", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
      }
      String hostname = Json.text(points.get(i), "hostname");
      if (!hostname.isEmpty()) {
        dnsName(hostname, at + ".hostname", errors);
      }
    }
    return errors;
  }

  private static List<FieldError> validateSpec(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> rules = Json.elements(spec, "rules");
    JsonNode defaultBackend = Json.get(spec, "defaultBackend");
    if (rules.isEmpty() && defaultBackend == null) {
      // the rules as Go's %#v prints the empty slice: nil when absent
      errors.add(FieldError.invalid("spec", new GoValue(Json.get(spec, "rules") instanceof ArrayNode
          ? "[]networking.IngressRule{}" : "[]networking.IngressRule(nil)"),
          "either `defaultBackend` or `rules` must be specified"));
    }
    if (defaultBackend != null) {
      errors.addAll(validateBackend(defaultBackend, "spec.defaultBackend"));
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String at = "spec.rules[" + i + "]";
      String host = Json.text(rule, "host");
      if (!host.isEmpty()) {
        if (Formats.isIp(host)) {
          errors.add(FieldError.invalid(at + ".host", host, "must be a DNS name, not an IP address"));
        }
        if (host.contains("*")) {
          wildcard(host, at + ".host", errors);
        } else {
          for (String message : Formats.dns1123Subdomain(host)) {
            errors.add(FieldError.invalid(at + ".host", host, message));
          }
        }
      }
      JsonNode http = Json.get(rule, "http");
      if (http != null) {
        List<JsonNode> paths = Json.elements(http, "paths");
        if (paths.isEmpty()) {
          errors.add(FieldError.required(at + ".http.paths", ""));
        }
        for (int p = 0; p < paths.size(); p++) {
          errors.addAll(validatePath(paths.get(p), at + ".http.paths[" + p + "]"));
        }
      }
    }
    List<JsonNode> tls = Json.elements(spec, "tls");
    for (int i = 0; i < tls.size(); i++) {
      String at = "spec.tls[" + i + "]";
      List<String> hosts = Json.strings(tls.get(i), "hosts");
      for (int h = 0; h < hosts.size(); h++) {
        String host = hosts.get(h);
        if (host.contains("*")) {
          wildcard(host, at + ".hosts[" + h + "]", errors);
        } else {
          for (String message : Formats.dns1123Subdomain(host)) {
            errors.add(FieldError.invalid(at + ".hosts[" + h + "]", host, message));
          }
        }
      }
      String secretName = Json.text(tls.get(i), "secretName");
      if (!secretName.isEmpty()) {
        for (String message : Formats.dns1123Subdomain(secretName)) {
          errors.add(FieldError.invalid(at + ".secretName", secretName, message));
        }
      }
    }
    String className = Json.textOrNull(spec, "ingressClassName");
    if (className != null) {
      for (String message : Formats.dns1123Subdomain(className)) {
        errors.add(FieldError.invalid("spec.ingressClassName", className, message));
      }
    }
    return errors;
  }

  private static List<FieldError> validatePath(JsonNode path, String at) {
    List<FieldError> errors = new ArrayList<>();
    String pathType = Json.textOrNull(path, "pathType");
    if (pathType == null) {
      return List.of(FieldError.required(at + ".pathType", "pathType must be specified"));
    }
    String value = Json.text(path, "path");
    switch (pathType) {
      case "Exact", "Prefix" -> {
        if (!value.startsWith("/")) {
          errors.add(FieldError.invalid(at + ".path", value, "must be an absolute path"));
        }
        for (String sequence : INVALID_PATH_SEQUENCES) {
          if (value.contains(sequence)) {
            errors.add(FieldError.invalid(at + ".path", value, "must not contain '" + sequence + "'"));
          }
        }
        for (String suffix : INVALID_PATH_SUFFIXES) {
          if (value.endsWith(suffix)) {
            errors.add(FieldError.invalid(at + ".path", value, "cannot end with '" + suffix + "'"));
          }
        }
      }
      case "ImplementationSpecific" -> {
        if (!value.isEmpty() && !value.startsWith("/")) {
          errors.add(FieldError.invalid(at + ".path", value, "must be an absolute path"));
        }
      }
      default -> errors.add(FieldError.notSupported(at + ".pathType", pathType, PATH_TYPES));
    }
    errors.addAll(validateBackend(Json.get(path, "backend"), at + ".backend"));
    return errors;
  }

  /** validateIngressBackend: one of a service (a name and a port name or number) or a typed resource reference. */
  static List<FieldError> validateBackend(JsonNode backend, String at) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode resource = Json.get(backend, "resource");
    JsonNode service = Json.get(backend, "service");
    if (resource != null && service != null) {
      return List.of(FieldError.invalid(at, "", "cannot set both resource and service backends"));
    }
    if (resource != null) {
      errors.addAll(NetworkingValidation.typedReference(resource, at + ".resource"));
    } else if (service != null) {
      String name = Json.text(service, "name");
      if (name.isEmpty()) {
        errors.add(FieldError.required(at + ".service.name", ""));
      } else {
        for (String message : Formats.dns1035Label(name)) {
          errors.add(FieldError.invalid(at + ".service.name", name, message));
        }
      }
      String portName = Json.text(Json.get(service, "port"), "name");
      long portNumber = Json.number(Json.get(service, "port"), "number", 0);
      if (!portName.isEmpty() && portNumber != 0) {
        errors.add(FieldError.invalid(at, "", "cannot set both port name & port number"));
      } else if (!portName.isEmpty()) {
        for (String message : Formats.portName(portName)) {
          errors.add(FieldError.invalid(at + ".service.port.name", portName, message));
        }
      } else if (portNumber != 0) {
        for (String message : Formats.portNumber(portNumber)) {
          errors.add(FieldError.invalid(at + ".service.port.number", portNumber, message));
        }
      } else {
        errors.add(FieldError.required(at, "port name or number is required"));
      }
    } else {
      errors.add(FieldError.invalid(at, "", "resource or service backend is required"));
    }
    return errors;
  }

  private static void wildcard(String host, String at, List<FieldError> errors) {
    if (host.length() > Formats.DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errors.add(FieldError.invalid(at, host, Formats.maxLengthError(Formats.DNS1123_SUBDOMAIN_MAX_LENGTH)));
    }
    if (!WILDCARD.matcher(host).matches()) {
      errors.add(FieldError.invalid(at, host, Formats.regexError(WILDCARD_MESSAGE, WILDCARD_FORMAT, "*.example.com")));
    }
  }

  private static void dnsName(String hostname, String at, List<FieldError> errors) {
    for (String message : Formats.dns1123Subdomain(hostname)) {
      errors.add(FieldError.invalid(at, hostname, message));
    }
    if (Formats.isIp(hostname)) {
      errors.add(FieldError.invalid(at, hostname, "must be a DNS name, not an IP address"));
    }
  }
}
