package io.minicluster.registry.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Services: SetDefaults_Service, the single-stack IP family defaults of the service registry, initial status, and
 * ValidateService / ValidateServiceUpdate. Cluster IP and node port allocation are the service registry's job; this
 * strategy only checks given values (node ports against {@link #NODE_PORT_MIN}..{@link #NODE_PORT_MAX}).
 */
public final class ServiceStrategy implements Strategy {
  public static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  public static final List<String> SESSION_AFFINITIES = List.of("ClientIP", "None");
  public static final int NODE_PORT_MIN = 30000;
  public static final int NODE_PORT_MAX = 32767;
  private static final int KUBELET_PORT = 10250;

  @Override
  public ResourceType type() {
    return ResourceTypes.SERVICES;
  }

  @Override
  public NameValidator nameValidator() {
    return NameValidator.DNS1035_LABEL;
  }

  @Override
  public void applyDefaults(ObjectNode service) {
    ObjectNode spec = Json.with(service, "spec");
    Json.defaultText(spec, "sessionAffinity", "None");
    Json.defaultText(spec, "type", "ClusterIP");
    String type = Json.text(spec, "type");
    for (ObjectNode port : Json.objects(spec, "ports")) {
      Json.defaultText(port, "protocol", "TCP");
      JsonNode target = Json.get(port, "targetPort");
      boolean unset = target == null || (target.isNumber() && target.asLong() == 0)
          || (target.isTextual() && target.asText().isEmpty());
      if (unset && Json.has(port, "port")) {
        port.set("targetPort", port.get("port").deepCopy());
      }
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      Json.defaultText(spec, "externalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      Json.defaultBoolean(spec, "allocateLoadBalancerNodePorts", true);
    }
    if (!type.equals("ExternalName")) {
      Json.defaultText(spec, "internalTrafficPolicy", "Cluster");
    }
    if (Json.text(spec, "sessionAffinity").equals("ClientIP")) {
      ObjectNode clientIp = Json.with(Json.with(spec, "sessionAffinityConfig"), "clientIP");
      Json.defaultNumber(clientIp, "timeoutSeconds", 10800);
    }
    // clusterIP and clusterIPs mirror each other (the v1 conversion keeps them in step).
    String clusterIp = Json.text(spec, "clusterIP");
    List<String> clusterIps = Json.strings(spec, "clusterIPs");
    if (!clusterIp.isEmpty() && clusterIps.isEmpty()) {
      spec.putArray("clusterIPs").add(clusterIp);
    } else if (clusterIp.isEmpty() && !clusterIps.isEmpty()) {
      spec.put("clusterIP", clusterIps.get(0));
    }
  }

  /** Initial status and the IP family fields of a single-stack IPv4 cluster. */
  @Override
  public void prepareForCreate(ObjectNode service) {
    ObjectNode status = service.putObject("status");
    status.putObject("loadBalancer");
    ObjectNode spec = Json.with(service, "spec");
    if (!Json.text(spec, "type").equals("ExternalName")) {
      Json.defaultText(spec, "ipFamilyPolicy", "SingleStack");
      if (Json.elements(spec, "ipFamilies").isEmpty()) {
        spec.putArray("ipFamilies").add("IPv4");
      }
    }
  }

  /**
   * Keeps the status and clears what the new type no longer uses, when the client left it as it was
   * (dropTypeDependentFields): a cluster IP given up here and node ports dropped here are free once the update is
   * stored. A service that needs a cluster IP again gets its IP family fields as on create.
   */
  @Override
  public void prepareForUpdate(ObjectNode service, ObjectNode old) {
    Strategy.super.prepareForUpdate(service, old);
    ObjectNode spec = Json.with(service, "spec");
    JsonNode oldSpec = old.path("spec");
    boolean needsClusterIp = !Json.text(spec, "type").equals("ExternalName");
    if (!Json.text(oldSpec, "type").equals("ExternalName") && !needsClusterIp) {
      dropIfUnchanged(spec, oldSpec, "clusterIP", "clusterIPs");
      dropIfUnchanged(spec, oldSpec, "ipFamilies");
      dropIfUnchanged(spec, oldSpec, "ipFamilyPolicy");
    }
    if (usesNodePorts(oldSpec) && !usesNodePorts(spec) && sameOrFewerNodePorts(spec, oldSpec)) {
      for (ObjectNode port : Json.objects(spec, "ports")) {
        port.remove("nodePort");
      }
    }
    if (usesHealthCheckNodePort(oldSpec) && !usesHealthCheckNodePort(spec)) {
      dropIfUnchanged(spec, oldSpec, "healthCheckNodePort");
    }
    boolean wasLoadBalancer = Json.text(oldSpec, "type").equals("LoadBalancer");
    if (wasLoadBalancer && !Json.text(spec, "type").equals("LoadBalancer")) {
      dropIfUnchanged(spec, oldSpec, "allocateLoadBalancerNodePorts");
      dropIfUnchanged(spec, oldSpec, "loadBalancerClass");
    }
    if (externallyAccessible(oldSpec) && !externallyAccessible(spec)) {
      dropIfUnchanged(spec, oldSpec, "externalTrafficPolicy");
    }
    if (!Json.text(spec, "type").equals("LoadBalancer")) {
      Json.with(service, "status").putObject("loadBalancer");
    }
    if (needsClusterIp) {
      Json.defaultText(spec, "ipFamilyPolicy", Json.text(oldSpec, "ipFamilyPolicy").isEmpty() ? "SingleStack"
          : Json.text(oldSpec, "ipFamilyPolicy"));
      if (Json.elements(spec, "ipFamilies").isEmpty()) {
        spec.putArray("ipFamilies").add("IPv4");
      }
    }
  }

  /** Removes the fields when each is as it was in the old spec (the client did not touch them). */
  private static void dropIfUnchanged(ObjectNode spec, JsonNode oldSpec, String... fields) {
    for (String field : fields) {
      if (!Objects.equals(Json.get(spec, field), Json.get(oldSpec, field))) {
        return;
      }
    }
    spec.remove(List.of(fields));
  }

  private static boolean usesNodePorts(JsonNode spec) {
    String type = Json.text(spec, "type");
    return type.equals("NodePort") || type.equals("LoadBalancer");
  }

  private static boolean usesHealthCheckNodePort(JsonNode spec) {
    return Json.text(spec, "type").equals("LoadBalancer")
        && Json.text(spec, "externalTrafficPolicy").equals("Local");
  }

  private static boolean externallyAccessible(JsonNode spec) {
    return usesNodePorts(spec)
        || (Json.text(spec, "type").equals("ClusterIP") && !Json.elements(spec, "externalIPs").isEmpty());
  }

  /** Whether the new ports hold no node port the old ones did not (ports may be added, removed or changed). */
  private static boolean sameOrFewerNodePorts(JsonNode spec, JsonNode oldSpec) {
    Set<Long> old = new HashSet<>();
    for (JsonNode port : Json.elements(oldSpec, "ports")) {
      old.add(Json.number(port, "nodePort", 0));
    }
    for (JsonNode port : Json.elements(spec, "ports")) {
      long nodePort = Json.number(port, "nodePort", 0);
      if (nodePort != 0 && !old.contains(nodePort)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<FieldError> validate(ObjectNode service) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(service, "spec");
    String type = Json.text(spec, "type");
    boolean headless = Json.text(spec, "clusterIP").equals("None");
    List<JsonNode> ports = Json.elements(spec, "ports");
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      errors.add(FieldError.required("spec.ports", ""));
    }
    switch (type) {
      case "LoadBalancer" -> {
        if (headless) {
          errors.add(FieldError.invalid("spec.clusterIPs[0]", "None",
              "may not be set to 'None' for LoadBalancer services"));
        }
        for (int i = 0; i < ports.size(); i++) {
          if (Json.number(ports.get(i), "port", 0) == KUBELET_PORT) {
            errors.add(FieldError.invalid("spec.ports[" + i + "]", (long) KUBELET_PORT,
                "may not expose port " + KUBELET_PORT + " externally since it is used by kubelet"));
          }
        }
      }
      case "NodePort" -> {
        if (headless) {
          errors.add(FieldError.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for NodePort services"));
        }
      }
      case "ExternalName" -> {
        String externalName = Json.text(spec, "externalName");
        if (externalName.isEmpty()) {
          errors.add(FieldError.required("spec.externalName", ""));
        } else {
          String trimmed = externalName.endsWith(".") ? externalName.substring(0, externalName.length() - 1)
              : externalName;
          List<String> messages = Formats.dns1123Subdomain(trimmed);
          if (!messages.isEmpty()) {
            errors.add(FieldError.invalid("spec.externalName", trimmed, String.join(",", messages)));
          } else if (trimmed.split("\\.").length < 2) {
            errors.add(FieldError.invalid("spec.externalName", trimmed,
                "should be a domain with at least two segments separated by dots"));
          }
        }
      }
      default -> {
        // ClusterIP or unsupported, reported below
      }
    }
    Set<String> names = new HashSet<>();
    boolean requireName = ports.size() > 1;
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String at = "spec.ports[" + i + "]";
      String name = Json.text(port, "name");
      if (requireName && name.isEmpty()) {
        errors.add(FieldError.required(at + ".name", ""));
      } else if (!name.isEmpty()) {
        for (String message : Formats.dns1123Label(name)) {
          errors.add(FieldError.invalid(at + ".name", name, message));
        }
        if (!names.add(name)) {
          errors.add(FieldError.duplicate(at + ".name", name));
        }
      }
      long number = Json.number(port, "port", 0);
      for (String message : Formats.portNumber(number)) {
        errors.add(FieldError.invalid(at + ".port", number, message));
      }
      errors.addAll(PodSpecValidation.oneOf(Json.text(port, "protocol"), at + ".protocol",
          PodSpecValidation.PROTOCOLS));
      errors.addAll(PodSpecValidation.portNumberOrName(Json.get(port, "targetPort"), at + ".targetPort"));
      String appProtocol = Json.text(port, "appProtocol");
      if (!appProtocol.isEmpty()) {
        errors.addAll(ObjectMetaValidation.validateQualifiedName(appProtocol, at + ".appProtocol"));
      }
    }
    errors.addAll(ObjectMetaValidation.validateLabels(Json.get(spec, "selector"), "spec.selector"));
    errors.addAll(PodSpecValidation.oneOf(Json.text(spec, "sessionAffinity"), "spec.sessionAffinity",
        SESSION_AFFINITIES));
    errors.addAll(PodSpecValidation.oneOf(type, "spec.type", TYPES));
    String clusterIp = Json.text(spec, "clusterIP");
    if (!clusterIp.isEmpty() && !headless && !Formats.isIp(clusterIp)) {
      errors.add(FieldError.invalid("spec.clusterIPs[0]", clusterIp,
          "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
    }
    if (type.equals("ExternalName") && !clusterIp.isEmpty()) {
      errors.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
    }
    Set<String> nodePorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      long nodePort = Json.number(ports.get(i), "nodePort", 0);
      if (nodePort == 0) {
        continue;
      }
      String at = "spec.ports[" + i + "].nodePort";
      if (type.equals("ClusterIP")) {
        errors.add(FieldError.forbidden(at, "may not be used when `type` is 'ClusterIP'"));
        continue;
      }
      if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
        errors.add(FieldError.invalid(at, nodePort, "provided port is not in the valid range. The range of valid "
            + "ports is " + NODE_PORT_MIN + "-" + NODE_PORT_MAX));
      }
      if (!nodePorts.add(Json.text(ports.get(i), "protocol") + "/" + nodePort)) {
        errors.add(FieldError.duplicate(at, nodePort));
      }
    }
    Set<String> protocolPorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      String protocol = Json.text(ports.get(i), "protocol");
      long number = Json.number(ports.get(i), "port", 0);
      if (!protocolPorts.add(protocol + "/" + number)) {
        errors.add(FieldError.duplicate("spec.ports[" + i + "]", new GoValue("core.ServicePort{Name:\"\", "
            + "Protocol:\"" + protocol + "\", AppProtocol:(*string)(nil), Port:" + number
            + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
      }
    }
    String internal = Json.text(spec, "internalTrafficPolicy");
    if (!internal.isEmpty() && !List.of("Cluster", "Local").contains(internal)) {
      errors.add(FieldError.notSupported("spec.internalTrafficPolicy", internal, List.of("Cluster", "Local")));
    }
    String external = Json.text(spec, "externalTrafficPolicy");
    if (!external.isEmpty() && !List.of("Cluster", "Local").contains(external)) {
      errors.add(FieldError.notSupported("spec.externalTrafficPolicy", external, List.of("Cluster", "Local")));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode service, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(service, "spec");
    JsonNode oldSpec = Json.get(old, "spec");
    boolean externalNameInvolved = Json.text(spec, "type").equals("ExternalName")
        || Json.text(oldSpec, "type").equals("ExternalName");
    List<String> oldIps = Json.strings(oldSpec, "clusterIPs");
    List<String> newIps = Json.strings(spec, "clusterIPs");
    if (!externalNameInvolved && !oldIps.isEmpty() && (newIps.isEmpty() || !newIps.get(0).equals(oldIps.get(0)))) {
      errors.add(FieldError.invalid("spec.clusterIPs[0]", GoValue.stringSlice(newIps), "may not change once set"));
    }
    errors.addAll(validate(service));
    return errors;
  }
}
