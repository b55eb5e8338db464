package io.minicluster.registry.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * core/v1 ResourceQuotas, as pkg/registry/core/resourcequota and ValidateResourceQuota: status is the quota
 * controller's (reset on create, kept on updates of the main resource); spec.hard names standard quota resources
 * (or qualified ones) with non-negative quantities, whole numbers for counts; scopes and scopeSelector are standard
 * scopes that apply to the limited resources, and do not conflict.
 */
public final class ResourceQuotaStrategy implements Strategy {
  /** standardResources: what a resource name may be without a domain. */
  static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
      "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
      "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
      "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers");
  /** standardQuotaResources. */
  private static final Set<String> QUOTA_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
      "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
      "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
      "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers");
  private static final Set<String> INTEGER_RESOURCES = Set.of("pods", "resourcequotas", "services",
      "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports",
      "services.loadbalancers");
  private static final List<String> SCOPES = List.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort",
      "PriorityClass", "CrossNamespacePodAffinity");
  private static final Set<String> POD_COMPUTE = Set.of("pods", "cpu", "memory", "limits.cpu", "limits.memory",
      "requests.cpu", "requests.memory");
  private static final List<List<String>> CONFLICTING = List.of(List.of("BestEffort", "NotBestEffort"),
      List.of("Terminating", "NotTerminating"));
  private static final String EXISTS_ONLY = "must be 'Exist' only operator when scope is any of "
      + "ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort and "
      + "ResourceQuotaScopeNotBestEffort";

  @Override
  public ResourceType type() {
    return ResourceTypes.RESOURCE_QUOTAS;
  }

  @Override
  public List<FieldError> validate(ObjectNode quota) {
    JsonNode spec = Json.get(quota, "spec");
    List<FieldError> errors = new ArrayList<>(validateList(spec, "hard", "spec.hard"));
    List<String> hard = Json.keys(spec, "hard");
    List<String> scopes = Json.strings(spec, "scopes");
    if (!scopes.isEmpty()) {
      for (String scope : scopes) {
        if (!SCOPES.contains(scope)) {
          errors.add(FieldError.invalid("spec.scopes", scopes, "unsupported scope"));
        }
        for (String resource : hard.stream().sorted().toList()) {
          if (QUOTA_RESOURCES.contains(resource) && !scopeApplies(scope, resource)) {
            errors.add(FieldError.invalid("spec.scopes", scopes, "unsupported scope applied to resource"));
          }
        }
      }
      if (conflicting(scopes)) {
        errors.add(FieldError.invalid("spec.scopes", scopes, "conflicting scopes"));
      }
    }
    JsonNode selector = Json.get(spec, "scopeSelector");
    if (selector != null && !selector.isNull()) {
      errors.addAll(validateScopeSelector(selector, hard, scopes));
    }
    errors.addAll(validateList(Json.get(quota, "status"), "hard", "status.hard"));
    errors.addAll(validateList(Json.get(quota, "status"), "used", "status.used"));
    return errors;
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode quota, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validateList(Json.get(quota, "status"), "hard", "status.hard"));
    errors.addAll(validateList(Json.get(quota, "status"), "used", "status.used"));
    return errors;
  }

  private static List<FieldError> validateScopeSelector(JsonNode selector, List<String> hard, List<String> scopes) {
    List<FieldError> errors = new ArrayList<>();
    String path = "spec.scopeSelector.matchExpressions";
    List<String> names = new ArrayList<>();
    for (JsonNode expression : Json.elements(selector, "matchExpressions")) {
      String scope = Json.text(expression, "scopeName");
      String operator = Json.text(expression, "operator");
      List<String> values = Json.strings(expression, "values");
      if (!SCOPES.contains(scope)) {
        errors.add(FieldError.invalid(path + ".scopeName", scope, "unsupported scope"));
      }
      for (String resource : hard.stream().sorted().toList()) {
        if (QUOTA_RESOURCES.contains(resource) && !scopeApplies(scope, resource)) {
          errors.add(FieldError.invalid(path, selector, "unsupported scope applied to resource"));
        }
      }
      if (List.of("BestEffort", "NotBestEffort", "Terminating", "NotTerminating").contains(scope)
          && !operator.equals("Exists")) {
        errors.add(FieldError.invalid(path + ".operator", operator, EXISTS_ONLY));
      }
      switch (operator) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            errors.add(FieldError.required(path + ".values",
                "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            errors.add(FieldError.invalid(path + ".values", values,
                "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
          }
        }
        default -> errors.add(FieldError.invalid(path + ".operator", operator, "not a valid selector operator"));
      }
      names.add(scope);
    }
    if (conflicting(names)) {
      errors.add(FieldError.invalid(path, scopes, "conflicting scopes"));
    }
    return errors;
  }

  private static boolean conflicting(List<String> scopes) {
    return CONFLICTING.stream().anyMatch(scopes::containsAll);
  }

  /** IsResourceQuotaScopeValidForResource. */
  private static boolean scopeApplies(String scope, String resource) {
    return switch (scope) {
      case "Terminating", "NotTerminating", "NotBestEffort", "PriorityClass" -> POD_COMPUTE.contains(resource);
      case "BestEffort" -> resource.equals("pods");
      default -> true;
    };
  }

  /** A resource list of quota resources: names, non-negative quantities, whole numbers for counts. */
  private static List<FieldError> validateList(JsonNode node, String field, String path) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode list = Json.get(node, field);
    for (String name : Json.keys(node, field)) {
      String at = path + "[" + name + "]";
      errors.addAll(validateQuotaResourceName(name, at));
      errors.addAll(validateQuantity(name, list.get(name), at));
    }
    return errors;
  }

  /** ValidateResourceQuotaResourceName. */
  static List<FieldError> validateQuotaResourceName(String name, String path) {
    List<FieldError> errors = new ArrayList<>(validateResourceName(name, path));
    if (errors.isEmpty() && !name.contains("/") && !QUOTA_RESOURCES.contains(name) && !hugePages(name)) {
      errors.add(FieldError.invalid(path, name, "must be a standard resource for quota"));
    }
    return errors;
  }

  /** validateResourceName: a qualified name, standard unless it has a domain. */
  public static List<FieldError> validateResourceName(String name, String path) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validateQualifiedName(name, path));
    if (errors.isEmpty() && !name.contains("/") && !STANDARD_RESOURCES.contains(name) && !hugePages(name)) {
      errors.add(FieldError.invalid(path, name, "must be a standard resource type or fully qualified"));
    }
    return errors;
  }

  private static boolean hugePages(String name) {
    return name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");
  }

  /** ValidateResourceQuantityValue: a quantity, not negative, whole for the counted resources. */
  public static List<FieldError> validateQuantity(String resource, JsonNode value, String path) {
    Quantity quantity;
    try {
      quantity = Quantity.fromJson(value);
    } catch (IllegalArgumentException e) {
      return List.of(FieldError.invalid(path, value.asText(), e.getMessage()));
    }
    List<FieldError> errors = new ArrayList<>();
    if (quantity.signum() < 0) {
      errors.add(FieldError.invalid(path, quantity.toString(), "must be greater than or equal to 0"));
    }
    boolean integer = INTEGER_RESOURCES.contains(resource) || extended(resource);
    if (integer && quantity.milliValue() % 1000 != 0) {
      errors.add(FieldError.invalid(path, quantity.toString(), "must be an integer"));
    }
    return errors;
  }

  /** IsExtendedResourceName: outside kubernetes.io, without the requests. prefix. */
  private static boolean extended(String name) {
    return name.contains("/") && !name.contains("kubernetes.io/") && !name.startsWith("requests.");
  }
}
