package io.minicluster.registry.apiservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * apiregistration.k8s.io/v1 APIServices, as kube-aggregator's pkg/registry/apiservice and
 * pkg/apis/apiregistration/validation: the name must be {@code version.group}; group, version and the two priorities
 * as ValidateAPIService; a Local APIService (no spec.service) has no caBundle or insecureSkipTLSVerify; a service
 * reference has a namespace, a name and a valid port (defaulted to 443).
 */
public final class ApiServiceStrategy implements Strategy {
  @Override
  public ResourceType type() {
    return ResourceTypes.API_SERVICES;
  }

  @Override
  public NameValidator nameValidator() {
    return NameValidator.PATH_SEGMENT;
  }

  /** SetDefaults_ServiceReference: port 443. */
  @Override
  public void applyDefaults(ObjectNode apiService) {
    JsonNode service = Json.at(apiService, "spec", "service");
    if (service instanceof ObjectNode reference && !reference.has("port")) {
      reference.put("port", 443);
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode apiService) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(apiService, "spec");
    String group = Json.text(spec, "group");
    String version = Json.text(spec, "version");
    String requiredName = version + "." + group;
    String name = Json.text(Json.get(apiService, "metadata"), "name");
    if (!name.isEmpty() && Formats.pathSegmentName(name, false).isEmpty() && !name.equals(requiredName)) {
      errors.add(FieldError.invalid("metadata.name", name,
          "must be `spec.version+\".\"+spec.group`: \"" + requiredName + "\""));
    }
    if (group.isEmpty() && !version.equals("v1")) {
      errors.add(FieldError.required("spec.group", "only v1 may have an empty group and it better be legacy kube"));
    }
    if (!group.isEmpty()) {
      for (String problem : Formats.dns1123Subdomain(group)) {
        errors.add(FieldError.invalid("spec.group", group, problem));
      }
    }
    for (String problem : Formats.dns1035Label(version)) {
      errors.add(FieldError.invalid("spec.version", version, problem));
    }
    long groupPriority = Json.number(spec, "groupPriorityMinimum", 0);
    if (groupPriority <= 0 || groupPriority > 20000) {
      errors.add(FieldError.invalid("spec.groupPriorityMinimum", groupPriority, "must be positive and less than 20000"));
    }
    long versionPriority = Json.number(spec, "versionPriority", 0);
    if (versionPriority <= 0 || versionPriority > 1000) {
      errors.add(FieldError.invalid("spec.versionPriority", versionPriority, "must be positive and less than 1000"));
    }
    boolean insecure = Json.bool(spec, "insecureSkipTLSVerify");
    String caBundle = Json.text(spec, "caBundle");
    JsonNode service = Json.get(spec, "service");
    if (service == null || service.isNull()) {
      if (!caBundle.isEmpty()) {
        errors.add(FieldError.invalid("spec.caBundle", decodedLength(caBundle) + " bytes",
            "local APIServices may not have a caBundle"));
      }
      if (insecure) {
        errors.add(FieldError.invalid("spec.insecureSkipTLSVerify", true,
            "local APIServices may not have insecureSkipTLSVerify"));
      }
      return errors;
    }
    if (Json.text(service, "namespace").isEmpty()) {
      errors.add(FieldError.required("spec.service.namespace", ""));
    }
    if (Json.text(service, "name").isEmpty()) {
      errors.add(FieldError.required("spec.service.name", ""));
    }
    long port = Json.number(service, "port", 0);
    List<String> portProblems = Formats.portNumber(port);
    if (!portProblems.isEmpty()) {
      errors.add(FieldError.invalid("spec.service.port", port, "port is not valid: " + String.join(", ", portProblems)));
    }
    if (insecure && !caBundle.isEmpty()) {
      errors.add(FieldError.invalid("spec.insecureSkipTLSVerify", true, "may not be true if caBundle is present"));
    }
    return errors;
  }

  private static int decodedLength(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length();
    }
  }
}
