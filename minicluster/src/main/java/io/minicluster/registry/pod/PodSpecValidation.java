package io.minicluster.registry.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.api.resource.Quantity;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation of pod specs and pod templates as ValidatePodSpec / ValidatePodTemplateSpec of
 * pkg/apis/core/validation/validation.go, with the same field paths, messages and order. Covers containers, init
 * containers, ports, env, volumes, volume mounts, resources, probes, policies and tolerations; not covered:
 * security contexts, affinity, topology spread, DNS config details, ephemeral containers and resource claims.
 */
public final class PodSpecValidation {
  public static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  public static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  public static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  public static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  public static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  public static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final long MAX_INT32 = Integer.MAX_VALUE;
  private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

  private PodSpecValidation() {}

  /** ValidatePodTemplateSpec: template labels and annotations (at path.labels / path.annotations) and its spec. */
  public static List<FieldError> validateTemplate(JsonNode template, String path) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode metadata = Json.get(template, "metadata");
    errors.addAll(ObjectMetaValidation.validateLabels(Json.get(metadata, "labels"), path + ".labels"));
    errors.addAll(ObjectMetaValidation.validateAnnotations(Json.get(metadata, "annotations"), path + ".annotations"));
    errors.addAll(validate(Json.get(template, "spec"), path + ".spec"));
    return errors;
  }

  /**
   * ValidatePodTemplateSpecForReplicaSet / ForRC: the selector must match the template labels, the template must be
   * valid, and its restartPolicy must be Always and activeDeadlineSeconds unset.
   *
   * @param selectorMatches whether the (non-empty) selector matches the template's labels
   */
  public static List<FieldError> validateTemplateForReplicas(JsonNode template, boolean selectorMatches, String path) {
    return validateTemplateForReplicas(template, selectorMatches, path, "ReplicaSet");
  }

  /**
   * As {@link #validateTemplateForReplicas(JsonNode, boolean, String)} for another kind of the same rules
   * (StatefulSet, DaemonSet), whose name the activeDeadlineSeconds message carries.
   */
  public static List<FieldError> validateTemplateForReplicas(JsonNode template, boolean selectorMatches, String path,
      String kind) {
    List<FieldError> errors = new ArrayList<>();
    if (template == null) {
      errors.add(FieldError.required(path, ""));
      return errors;
    }
    JsonNode labels = Json.get(Json.get(template, "metadata"), "labels");
    if (!selectorMatches) {
      errors.add(FieldError.invalid(path + ".metadata.labels",
          GoValue.stringMap(labels), "`selector` does not match template `labels`"));
    }
    errors.addAll(validateTemplate(template, path));
    JsonNode spec = Json.get(template, "spec");
    String restartPolicy = Json.text(spec, "restartPolicy");
    if (!restartPolicy.equals("Always")) {
      errors.add(FieldError.notSupported(path + ".spec.restartPolicy", restartPolicy, List.of("Always")));
    }
    Long deadline = Json.numberOrNull(spec, "activeDeadlineSeconds");
    if (deadline != null) {
      errors.add(FieldError.invalid(path + ".spec.activeDeadlineSeconds", deadline,
          "activeDeadlineSeconds in " + kind + " is not Supported"));
    }
    return errors;
  }

  /** ValidatePodSpec. */
  public static List<FieldError> validate(JsonNode spec, String path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> volumes = new HashSet<>();
    errors.addAll(validateVolumes(Json.elements(spec, "volumes"), path + ".volumes", volumes));
    Set<String> names = new HashSet<>();
    List<JsonNode> containers = Json.elements(spec, "containers");
    if (containers.isEmpty()) {
      errors.add(FieldError.required(path + ".containers", ""));
    }
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      String at = path + ".containers[" + i + "]";
      errors.addAll(validateContainerCommon(container, volumes, at));
      String name = Json.text(container, "name");
      if (!names.add(name)) {
        errors.add(FieldError.duplicate(at + ".name", name));
      }
      errors.addAll(validateLifecycle(Json.get(container, "lifecycle"), at + ".lifecycle"));
      errors.addAll(validateProbe(Json.get(container, "livenessProbe"), at + ".livenessProbe", true));
      errors.addAll(validateProbe(Json.get(container, "readinessProbe"), at + ".readinessProbe", false));
      errors.addAll(validateProbe(Json.get(container, "startupProbe"), at + ".startupProbe", true));
      if (Json.has(container, "restartPolicy")) {
        errors.add(FieldError.forbidden(at + ".restartPolicy", "may not be set for non-init containers"));
      }
    }
    errors.addAll(uniqueHostPorts(containers, path + ".containers"));
    List<JsonNode> initContainers = Json.elements(spec, "initContainers");
    for (int i = 0; i < initContainers.size(); i++) {
      JsonNode container = initContainers.get(i);
      String at = path + ".initContainers[" + i + "]";
      String name = Json.text(container, "name");
      if (!names.add(name)) {
        errors.add(FieldError.duplicate(at + ".name", name));
      }
      errors.addAll(validateContainerCommon(container, volumes, at));
      String restartPolicy = Json.text(container, "restartPolicy");
      boolean sidecar = restartPolicy.equals("Always");
      if (Json.has(container, "restartPolicy") && !sidecar) {
        errors.add(FieldError.notSupported(at + ".restartPolicy", restartPolicy, List.of("Always")));
      }
      if (sidecar) {
        errors.addAll(validateLifecycle(Json.get(container, "lifecycle"), at + ".lifecycle"));
        errors.addAll(validateProbe(Json.get(container, "livenessProbe"), at + ".livenessProbe", true));
        errors.addAll(validateProbe(Json.get(container, "readinessProbe"), at + ".readinessProbe", false));
        errors.addAll(validateProbe(Json.get(container, "startupProbe"), at + ".startupProbe", true));
      } else {
        for (String field : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
          if (Json.has(container, field)) {
            errors.add(FieldError.forbidden(at + "." + field,
                "may not be set for init containers without restartPolicy=Always"));
          }
        }
      }
    }
    errors.addAll(uniqueHostPorts(initContainers, path + ".initContainers"));
    errors.addAll(oneOf(Json.text(spec, "restartPolicy"), path + ".restartPolicy", RESTART_POLICIES));
    String dnsPolicy = Json.text(spec, "dnsPolicy");
    errors.addAll(oneOf(dnsPolicy, path + ".dnsPolicy", DNS_POLICIES));
    errors.addAll(ObjectMetaValidation.validateLabels(Json.get(spec, "nodeSelector"), path + ".nodeSelector"));
    for (JsonNode secret : Json.elements(spec, "imagePullSecrets")) {
      if (Json.text(secret, "name").isEmpty()) {
        errors.add(FieldError.required(path + ".imagePullSecrets[" + Json.elements(spec, "imagePullSecrets")
            .indexOf(secret) + "].name", ""));
      }
    }
    if (dnsPolicy.equals("None") && !Json.has(spec, "dnsConfig")) {
      errors.add(FieldError.required(path + ".dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"));
    }
    subdomainField(spec, "serviceAccountName", path, errors);
    subdomainField(spec, "nodeName", path, errors);
    Long deadline = Json.numberOrNull(spec, "activeDeadlineSeconds");
    if (deadline != null && (deadline < 1 || deadline > MAX_INT32)) {
      errors.add(FieldError.invalid(path + ".activeDeadlineSeconds", deadline,
          Formats.inclusiveRangeError(1, MAX_INT32)));
    }
    for (String field : List.of("hostname", "subdomain")) {
      String value = Json.text(spec, field);
      if (!value.isEmpty()) {
        for (String message : Formats.dns1123Label(value)) {
          errors.add(FieldError.invalid(path + "." + field, value, message));
        }
      }
    }
    errors.addAll(validateTolerations(Json.elements(spec, "tolerations"), path + ".tolerations"));
    subdomainField(spec, "priorityClassName", path, errors);
    return errors;
  }

  private static void subdomainField(JsonNode spec, String field, String path, List<FieldError> errors) {
    String value = Json.text(spec, field);
    if (!value.isEmpty()) {
      for (String message : Formats.dns1123Subdomain(value)) {
        errors.add(FieldError.invalid(path + "." + field, value, message));
      }
    }
  }

  /** A required enumerated value: Required when empty, Unsupported when not one of the supported values. */
  public static List<FieldError> oneOf(String value, String path, List<String> supported) {
    if (value.isEmpty()) {
      return List.of(FieldError.required(path, ""));
    }
    if (!supported.contains(value)) {
      return List.of(FieldError.notSupported(path, value, supported));
    }
    return List.of();
  }

  private static List<FieldError> validateVolumes(List<JsonNode> volumes, String path, Set<String> valid) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode volume = volumes.get(i);
      String at = path + "[" + i + "]";
      List<FieldError> volumeErrors = new ArrayList<>(validateVolumeSource(volume, at));
      String name = Json.text(volume, "name");
      if (name.isEmpty()) {
        volumeErrors.add(FieldError.required(at + ".name", ""));
      } else {
        for (String message : Formats.dns1123Label(name)) {
          volumeErrors.add(FieldError.invalid(at + ".name", name, message));
        }
      }
      if (valid.contains(name)) {
        volumeErrors.add(FieldError.duplicate(at + ".name", name));
      }
      if (volumeErrors.isEmpty()) {
        valid.add(name);
      } else {
        errors.addAll(volumeErrors);
      }
    }
    return errors;
  }

  private static List<FieldError> validateVolumeSource(JsonNode volume, String path) {
    List<FieldError> errors = new ArrayList<>();
    int sources = 0;
    for (String source : PodSpecDefaults.volumeSources()) {
      if (!Json.has(volume, source)) {
        continue;
      }
      if (sources > 0) {
        errors.add(FieldError.forbidden(path + "." + source, "may not specify more than 1 volume type"));
        continue;
      }
      sources++;
      JsonNode node = Json.get(volume, source);
      String at = path + "." + source;
      switch (source) {
        case "hostPath" -> {
          if (Json.text(node, "path").isEmpty()) {
            errors.add(FieldError.required(at + ".path", ""));
          }
          String type = Json.text(node, "type");
          List<String> types = List.of("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket",
              "CharDevice", "BlockDevice");
          if (!types.contains(type)) {
            errors.add(FieldError.notSupported(at + ".type", type, types));
          }
        }
        case "emptyDir" -> {
          String medium = Json.text(node, "medium");
          if (!List.of("", "Memory", "HugePages").contains(medium) && !medium.startsWith("HugePages-")) {
            errors.add(FieldError.notSupported(at + ".medium", medium, List.of("", "Memory", "HugePages")));
          }
          errors.addAll(quantity(node, "sizeLimit", at + ".sizeLimit"));
        }
        case "secret" -> {
          if (Json.text(node, "secretName").isEmpty()) {
            errors.add(FieldError.required(at + ".secretName", ""));
          }
          errors.addAll(fileMode(node, "defaultMode", at + ".defaultMode"));
          errors.addAll(keyToPaths(node, at + ".items"));
        }
        case "configMap" -> {
          if (Json.text(node, "name").isEmpty()) {
            errors.add(FieldError.required(at + ".name", ""));
          }
          errors.addAll(fileMode(node, "defaultMode", at + ".defaultMode"));
          errors.addAll(keyToPaths(node, at + ".items"));
        }
        case "persistentVolumeClaim" -> {
          if (Json.text(node, "claimName").isEmpty()) {
            errors.add(FieldError.required(at + ".claimName", ""));
          }
        }
        case "nfs" -> {
          if (Json.text(node, "server").isEmpty()) {
            errors.add(FieldError.required(at + ".server", ""));
          }
          String nfsPath = Json.text(node, "path");
          if (nfsPath.isEmpty()) {
            errors.add(FieldError.required(at + ".path", ""));
          } else if (!nfsPath.startsWith("/")) {
            errors.add(FieldError.invalid(at + ".path", nfsPath, "must be an absolute path"));
          }
        }
        case "downwardAPI", "projected" -> errors.addAll(fileMode(node, "defaultMode", at + ".defaultMode"));
        default -> {
          // other sources: presence only
        }
      }
    }
    if (sources == 0) {
      errors.add(FieldError.required(path, "must specify a volume type"));
    }
    return errors;
  }

  private static List<FieldError> keyToPaths(JsonNode source, String path) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> items = Json.elements(source, "items");
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = path + "[" + i + "]";
      if (Json.text(item, "key").isEmpty()) {
        errors.add(FieldError.required(at + ".key", ""));
      }
      String itemPath = Json.text(item, "path");
      if (itemPath.isEmpty()) {
        errors.add(FieldError.required(at + ".path", ""));
      } else {
        errors.addAll(localDescendingPath(itemPath, at + ".path"));
      }
      errors.addAll(fileMode(item, "mode", at + ".mode"));
    }
    return errors;
  }

  private static List<FieldError> fileMode(JsonNode node, String field, String path) {
    Long mode = Json.numberOrNull(node, field);
    if (mode != null && (mode < 0 || mode > 0777)) {
      return List.of(FieldError.invalid(path, mode, "must be a number between 0 and 0777 (octal), both inclusive"));
    }
    return List.of();
  }

  private static List<FieldError> localDescendingPath(String value, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (value.startsWith("/")) {
      errors.add(FieldError.invalid(path, value, "must be a relative path"));
    }
    for (String part : value.split("/")) {
      if (part.equals("..")) {
        errors.add(FieldError.invalid(path, value, "must not contain '..'"));
        break;
      }
    }
    return errors;
  }

  private static List<FieldError> validateContainerCommon(JsonNode container, Set<String> volumes, String path) {
    List<FieldError> errors = new ArrayList<>();
    String name = Json.text(container, "name");
    if (name.isEmpty()) {
      errors.add(FieldError.required(path + ".name", ""));
    } else {
      for (String message : Formats.dns1123Label(name)) {
        errors.add(FieldError.invalid(path + ".name", name, message));
      }
    }
    if (Json.text(container, "image").isEmpty()) {
      errors.add(FieldError.required(path + ".image", ""));
    }
    errors.addAll(oneOf(Json.text(container, "terminationMessagePolicy"), path + ".terminationMessagePolicy",
        TERMINATION_MESSAGE_POLICIES));
    errors.addAll(validatePorts(Json.elements(container, "ports"), path + ".ports"));
    errors.addAll(validateEnv(Json.elements(container, "env"), path + ".env"));
    errors.addAll(validateEnvFrom(Json.elements(container, "envFrom"), path + ".envFrom"));
    errors.addAll(validateVolumeMounts(Json.elements(container, "volumeMounts"), volumes, path + ".volumeMounts"));
    errors.addAll(oneOf(Json.text(container, "imagePullPolicy"), path + ".imagePullPolicy", PULL_POLICIES));
    errors.addAll(validateResources(Json.get(container, "resources"), path + ".resources"));
    return errors;
  }

  private static List<FieldError> validatePorts(List<JsonNode> ports, String path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String at = path + "[" + i + "]";
      String name = Json.text(port, "name");
      if (!name.isEmpty()) {
        List<String> messages = Formats.portName(name);
        if (!messages.isEmpty()) {
          for (String message : messages) {
            errors.add(FieldError.invalid(at + ".name", name, message));
          }
        } else if (!names.add(name)) {
          errors.add(FieldError.duplicate(at + ".name", name));
        }
      }
      long containerPort = Json.number(port, "containerPort", 0);
      if (containerPort == 0) {
        errors.add(FieldError.required(at + ".containerPort", ""));
      } else {
        for (String message : Formats.portNumber(containerPort)) {
          errors.add(FieldError.invalid(at + ".containerPort", containerPort, message));
        }
      }
      long hostPort = Json.number(port, "hostPort", 0);
      if (hostPort != 0) {
        for (String message : Formats.portNumber(hostPort)) {
          errors.add(FieldError.invalid(at + ".hostPort", hostPort, message));
        }
      }
      errors.addAll(oneOf(Json.text(port, "protocol"), at + ".protocol", PROTOCOLS));
    }
    return errors;
  }

  private static List<FieldError> uniqueHostPorts(List<JsonNode> containers, String path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int c = 0; c < containers.size(); c++) {
      List<JsonNode> ports = Json.elements(containers.get(c), "ports");
      for (int p = 0; p < ports.size(); p++) {
        long hostPort = Json.number(ports.get(p), "hostPort", 0);
        if (hostPort == 0) {
          continue;
        }
        String key = Json.text(ports.get(p), "hostIP") + "/" + Json.text(ports.get(p), "protocol") + "/" + hostPort;
        if (!seen.add(key)) {
          errors.add(FieldError.duplicate(path + "[" + c + "].ports[" + p + "].hostPort", key));
        }
      }
    }
    return errors;
  }

  private static List<FieldError> validateEnv(List<JsonNode> env, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < env.size(); i++) {
      JsonNode variable = env.get(i);
      String at = path + "[" + i + "]";
      String name = Json.text(variable, "name");
      if (name.isEmpty()) {
        errors.add(FieldError.required(at + ".name", ""));
      } else {
        for (String message : Formats.relaxedEnvVarName(name)) {
          errors.add(FieldError.invalid(at + ".name", name, message));
        }
      }
      JsonNode valueFrom = Json.get(variable, "valueFrom");
      if (valueFrom == null) {
        continue;
      }
      String fromPath = at + ".valueFrom";
      int sources = 0;
      List<FieldError> sourceErrors = new ArrayList<>();
      JsonNode fieldRef = Json.get(valueFrom, "fieldRef");
      if (fieldRef != null) {
        sources++;
        if (Json.text(fieldRef, "apiVersion").isEmpty()) {
          sourceErrors.add(FieldError.required(fromPath + ".fieldRef.apiVersion", ""));
        } else if (Json.text(fieldRef, "fieldPath").isEmpty()) {
          sourceErrors.add(FieldError.required(fromPath + ".fieldRef.fieldPath", ""));
        }
      }
      JsonNode resourceFieldRef = Json.get(valueFrom, "resourceFieldRef");
      if (resourceFieldRef != null) {
        sources++;
        if (Json.text(resourceFieldRef, "resource").isEmpty()) {
          sourceErrors.add(FieldError.required(fromPath + ".resourceFieldRef.resource", ""));
        }
      }
      for (String kind : List.of("configMapKeyRef", "secretKeyRef")) {
        JsonNode ref = Json.get(valueFrom, kind);
        if (ref == null) {
          continue;
        }
        sources++;
        String refName = Json.text(ref, "name");
        if (refName.isEmpty()) {
          sourceErrors.add(FieldError.required(fromPath + "." + kind + ".name", ""));
        }
        String key = Json.text(ref, "key");
        if (key.isEmpty()) {
          sourceErrors.add(FieldError.required(fromPath + "." + kind + ".key", ""));
        } else {
          for (String message : Formats.configMapKey(key)) {
            sourceErrors.add(FieldError.invalid(fromPath + "." + kind + ".key", key, message));
          }
        }
      }
      if (sources == 0) {
        errors.add(FieldError.invalid(fromPath, "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
      } else if (!Json.text(variable, "value").isEmpty()) {
        errors.add(FieldError.invalid(fromPath, "", "may not be specified when `value` is not empty"));
      } else if (sources > 1) {
        errors.add(FieldError.invalid(fromPath, "", "may not have more than one field specified at a time"));
      } else {
        errors.addAll(sourceErrors);
      }
    }
    return errors;
  }

  private static List<FieldError> validateEnvFrom(List<JsonNode> envFrom, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < envFrom.size(); i++) {
      JsonNode source = envFrom.get(i);
      String at = path + "[" + i + "]";
      String prefix = Json.text(source, "prefix");
      if (!prefix.isEmpty()) {
        for (String message : Formats.relaxedEnvVarName(prefix)) {
          errors.add(FieldError.invalid(at + ".prefix", prefix, message));
        }
      }
      int sources = 0;
      for (String kind : List.of("configMapRef", "secretRef")) {
        JsonNode ref = Json.get(source, kind);
        if (ref == null) {
          continue;
        }
        sources++;
        String name = Json.text(ref, "name");
        if (name.isEmpty()) {
          errors.add(FieldError.required(at + "." + kind + ".name", ""));
        } else {
          for (String message : Formats.dns1123Subdomain(name)) {
            errors.add(FieldError.invalid(at + "." + kind + ".name", name, message));
          }
        }
      }
      if (sources == 0) {
        errors.add(FieldError.invalid(at, "", "must specify one of: `configMapRef` or `secretRef`"));
      } else if (sources > 1) {
        errors.add(FieldError.invalid(at, "", "may not have more than one field specified at a time"));
      }
    }
    return errors;
  }

  private static List<FieldError> validateVolumeMounts(List<JsonNode> mounts, Set<String> volumes, String path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> mountPoints = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode mount = mounts.get(i);
      String at = path + "[" + i + "]";
      String name = Json.text(mount, "name");
      if (name.isEmpty()) {
        errors.add(FieldError.required(at + ".name", ""));
      }
      if (!volumes.contains(name)) {
        errors.add(FieldError.notFound(at + ".name", name));
      }
      String mountPath = Json.text(mount, "mountPath");
      if (mountPath.isEmpty()) {
        errors.add(FieldError.required(at + ".mountPath", ""));
      }
      if (!mountPoints.add(mountPath)) {
        errors.add(FieldError.invalid(at + ".mountPath", mountPath, "must be unique"));
      }
      String subPath = Json.text(mount, "subPath");
      if (!subPath.isEmpty()) {
        errors.addAll(localDescendingPath(subPath, at + ".subPath"));
      }
    }
    return errors;
  }

  /** ValidateResourceRequirements for a container: names, non-negative quantities, requests not above limits. */
  public static List<FieldError> validateResources(JsonNode resources, String path) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    JsonNode limitNode = Json.get(resources, "limits");
    for (String name : Json.keys(resources, "limits")) {
      String at = path + ".limits[" + name + "]";
      errors.addAll(validateResourceName(name, at));
      Quantity quantity = checkedQuantity(limitNode.get(name), name, at, errors);
      if (quantity != null) {
        limits.put(name, quantity);
      }
    }
    JsonNode requestNode = Json.get(resources, "requests");
    for (String name : Json.keys(resources, "requests")) {
      String at = path + ".requests[" + name + "]";
      errors.addAll(validateResourceName(name, at));
      Quantity quantity = checkedQuantity(requestNode.get(name), name, at, errors);
      Quantity limit = limits.get(name);
      if (quantity == null || limit == null) {
        continue;
      }
      boolean overcommit = !name.startsWith("hugepages-") && (STANDARD_CONTAINER_RESOURCES.contains(name)
          || !name.contains("/") || name.contains("kubernetes.io/"));
      if (quantity.compareTo(limit) != 0 && !overcommit) {
        errors.add(FieldError.invalid(path + ".requests", quantity.toString(),
            "must be equal to " + name + " limit of " + limit));
      } else if (quantity.compareTo(limit) > 0) {
        errors.add(FieldError.invalid(path + ".requests", quantity.toString(),
            "must be less than or equal to " + name + " limit of " + limit));
      }
    }
    return errors;
  }

  private static Quantity checkedQuantity(JsonNode value, String resource, String path, List<FieldError> errors) {
    Quantity quantity;
    try {
      quantity = Quantity.fromJson(value);
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.invalid(path, value.asText(), e.getMessage()));
      return null;
    }
    if (quantity.signum() < 0) {
      errors.add(FieldError.invalid(path, quantity.toString(), "must be greater than or equal to 0"));
    }
    boolean integer = resource.startsWith("hugepages-") || (resource.contains("/")
        && !resource.startsWith("kubernetes.io/") && !resource.contains(".kubernetes.io/"));
    if (integer && quantity.decimalValue().stripTrailingZeros().scale() > 0) {
      errors.add(FieldError.invalid(path, quantity.toString(), "must be an integer"));
    }
    return quantity;
  }

  private static List<FieldError> quantity(JsonNode node, String field, String path) {
    JsonNode value = Json.get(node, field);
    if (value == null) {
      return List.of();
    }
    try {
      Quantity quantity = Quantity.fromJson(value);
      if (quantity.signum() < 0) {
        return List.of(FieldError.invalid(path, quantity.toString(), "must be greater than or equal to 0"));
      }
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(FieldError.invalid(path, value.asText(), e.getMessage()));
    }
  }

  /** ValidateContainerResourceName: a standard container resource, hugepages or an extended resource. */
  public static List<FieldError> validateResourceName(String name, String path) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validateQualifiedName(name, path));
    if (!errors.isEmpty()) {
      return errors;
    }
    if (!name.contains("/")) {
      if (!STANDARD_CONTAINER_RESOURCES.contains(name) && !name.startsWith("hugepages-")) {
        errors.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
      }
    } else if (!name.startsWith("kubernetes.io/") && !name.contains(".kubernetes.io/")) {
      if (name.startsWith("requests.")) {
        errors.add(FieldError.invalid(path, name, "doesn't follow extended resource name standard"));
      }
    }
    return errors;
  }

  private static List<FieldError> validateLifecycle(JsonNode lifecycle, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (String hook : List.of("postStart", "preStop")) {
      JsonNode handler = Json.get(lifecycle, hook);
      if (handler != null) {
        errors.addAll(validateHandler(handler, path + "." + hook));
      }
    }
    return errors;
  }

  private static List<FieldError> validateProbe(JsonNode probe, String path, boolean successMustBeOne) {
    List<FieldError> errors = new ArrayList<>();
    if (probe == null) {
      return errors;
    }
    errors.addAll(validateHandler(probe, path));
    for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
        "failureThreshold")) {
      errors.addAll(ObjectMetaValidation.nonNegative(probe, field, path + "." + field));
    }
    Long grace = Json.numberOrNull(probe, "terminationGracePeriodSeconds");
    if (grace != null && grace <= 0) {
      errors.add(FieldError.invalid(path + ".terminationGracePeriodSeconds", grace, "must be greater than 0"));
    }
    long success = Json.number(probe, "successThreshold", 1);
    if (successMustBeOne && success != 1) {
      errors.add(FieldError.invalid(path + ".successThreshold", success, "must be 1"));
    }
    return errors;
  }

  private static List<FieldError> validateHandler(JsonNode handler, String path) {
    List<FieldError> errors = new ArrayList<>();
    int handlers = 0;
    for (String kind : List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep")) {
      JsonNode action = Json.get(handler, kind);
      if (action == null) {
        continue;
      }
      if (handlers > 0) {
        errors.add(FieldError.forbidden(path + "." + kind, "may not specify more than 1 handler type"));
        continue;
      }
      handlers++;
      String at = path + "." + kind;
      switch (kind) {
        case "exec" -> {
          if (Json.elements(action, "command").isEmpty()) {
            errors.add(FieldError.required(at + ".command", ""));
          }
        }
        case "httpGet" -> {
          if (Json.text(action, "path").isEmpty()) {
            errors.add(FieldError.required(at + ".path", ""));
          }
          errors.addAll(portNumberOrName(Json.get(action, "port"), at + ".port"));
          String scheme = Json.text(action, "scheme");
          if (!List.of("HTTP", "HTTPS").contains(scheme)) {
            errors.add(FieldError.notSupported(at + ".scheme", scheme, List.of("HTTP", "HTTPS")));
          }
          List<JsonNode> headers = Json.elements(action, "httpHeaders");
          for (int i = 0; i < headers.size(); i++) {
            String headerName = Json.text(headers.get(i), "name");
            if (!headerName.matches("[-A-Za-z0-9]+")) {
              errors.add(FieldError.invalid(at + ".httpHeaders[" + i + "].name", headerName,
                  Formats.regexError("a valid HTTP header must consist of alphanumeric characters or '-'",
                      "[-A-Za-z0-9]+", "X-Header-Name")));
            }
          }
        }
        case "tcpSocket" -> errors.addAll(portNumberOrName(Json.get(action, "port"), at + ".port"));
        case "grpc" -> {
          long port = Json.number(action, "port", 0);
          for (String message : Formats.portNumber(port)) {
            errors.add(FieldError.invalid(at + ".port", port, message));
          }
        }
        case "sleep" -> {
          long seconds = Json.number(action, "seconds", 0);
          if (seconds < 0) {
            errors.add(FieldError.invalid(at + ".seconds", seconds, "must be non-negative"));
          }
        }
        default -> throw new IllegalStateException(kind);
      }
    }
    if (handlers == 0) {
      errors.add(FieldError.required(path, "must specify a handler type"));
    }
    return errors;
  }

  /** ValidatePortNumOrName for an int-or-string port (absent counts as the number 0). */
  public static List<FieldError> portNumberOrName(JsonNode port, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (port != null && port.isTextual()) {
      for (String message : Formats.portName(port.asText())) {
        errors.add(FieldError.invalid(path, port.asText(), message));
      }
    } else {
      long number = port == null ? 0 : port.asLong();
      for (String message : Formats.portNumber(number)) {
        errors.add(FieldError.invalid(path, number, message));
      }
    }
    return errors;
  }

  /** ValidateTolerations. */
  public static List<FieldError> validateTolerations(List<JsonNode> tolerations, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < tolerations.size(); i++) {
      JsonNode toleration = tolerations.get(i);
      String at = path + "[" + i + "]";
      String key = Json.text(toleration, "key");
      String operator = Json.text(toleration, "operator");
      String effect = Json.text(toleration, "effect");
      String value = Json.text(toleration, "value");
      if (!key.isEmpty()) {
        errors.addAll(ObjectMetaValidation.validateQualifiedName(key, at + ".key"));
      }
      if (key.isEmpty() && !operator.equals("Exists")) {
        errors.add(FieldError.invalid(at + ".operator", operator,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (Json.has(toleration, "tolerationSeconds") && !effect.equals("NoExecute")) {
        errors.add(FieldError.invalid(at + ".effect", effect,
            "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (operator) {
        case "Equal", "" -> {
          List<String> messages = Formats.labelValue(value);
          if (!messages.isEmpty()) {
            errors.add(FieldError.invalid(at + ".operator", value, String.join(";", messages)));
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            errors.add(FieldError.invalid(at + ".operator", new GoValue(
                toleration.toString()), "value must be empty when `operator` is 'Exists'"));
          }
        }
        default -> errors.add(FieldError.notSupported(at + ".operator", operator, List.of("Equal", "Exists")));
      }
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
        errors.add(FieldError.notSupported(at + ".effect", effect, TAINT_EFFECTS));
      }
    }
    return errors;
  }
}
