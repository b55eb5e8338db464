package io.minicluster.registry.limitrange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.resourcequota.ResourceQuotaStrategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * core/v1 LimitRanges, as ValidateLimitRange: each type once (Pod, Container, PersistentVolumeClaim or a qualified
 * name), resource names that fit the type, no default or defaultRequest for Pod, a storage min or max for claims,
 * and min ≤ defaultRequest ≤ default ≤ max with a limit/request ratio of at least 1 and at most max/min.
 */
public final class LimitRangeStrategy implements Strategy {
  private static final List<String> STANDARD_TYPES = List.of("Pod", "Container", "PersistentVolumeClaim");
  private static final List<String> BOUNDS = List.of("max", "min", "default", "defaultRequest",
      "maxLimitRequestRatio");

  @Override
  public ResourceType type() {
    return ResourceTypes.LIMIT_RANGES;
  }

  /**
   * SetDefaults_LimitRangeItem, for Container limits: the default limit is the max when unset, the default request
   * the default limit, else the min.
   */
  @Override
  public void applyDefaults(ObjectNode limitRange) {
    for (ObjectNode limit : Json.objects(Json.get(limitRange, "spec"), "limits")) {
      if (!Json.text(limit, "type").equals("Container")) {
        continue;
      }
      defaultFrom(limit, "max", "default");
      defaultFrom(limit, "default", "defaultRequest");
      defaultFrom(limit, "min", "defaultRequest");
    }
  }

  private static void defaultFrom(ObjectNode limit, String from, String to) {
    for (String name : Json.keys(limit, from)) {
      JsonNode target = Json.get(limit, to);
      if (target == null || !target.has(name)) {
        Json.with(limit, to).set(name, Json.get(limit, from).get(name).deepCopy());
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode limitRange) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> types = new HashSet<>();
    List<JsonNode> limits = Json.elements(Json.get(limitRange, "spec"), "limits");
    for (int i = 0; i < limits.size(); i++) {
      JsonNode limit = limits.get(i);
      String path = "spec.limits[" + i + "]";
      String type = Json.text(limit, "type");
      errors.addAll(validateTypeName(type, path + ".type"));
      if (!types.add(type)) {
        errors.add(FieldError.duplicate(path + ".type", type));
      }
      Map<String, Map<String, Quantity>> bounds = new LinkedHashMap<>();
      Set<String> keys = new TreeSet<>();
      for (String bound : BOUNDS) {
        Map<String, Quantity> values = new LinkedHashMap<>();
        bounds.put(bound, values);
        boolean defaults = bound.equals("default") || bound.equals("defaultRequest");
        if (defaults && type.equals("Pod")) {
          if (!Json.keys(limit, bound).isEmpty()) {
            errors.add(FieldError.forbidden(path + "." + bound, "may not be specified when `type` is 'Pod'"));
          }
          continue;
        }
        for (String name : Json.keys(limit, bound)) {
          String at = path + "." + bound + "[" + name + "]";
          errors.addAll(type.equals("Pod") || type.equals("Container")
              ? PodSpecValidation.validateResourceName(name, at)
              : ResourceQuotaStrategy.validateResourceName(name, at));
          keys.add(name);
          try {
            values.put(name, Quantity.fromJson(Json.get(limit, bound).get(name)));
          } catch (IllegalArgumentException e) {
            errors.add(FieldError.invalid(at, Json.get(limit, bound).get(name).asText(), e.getMessage()));
          }
        }
      }
      if (type.equals("PersistentVolumeClaim") && !bounds.get("min").containsKey("storage")
          && !bounds.get("max").containsKey("storage")) {
        errors.add(FieldError.required(path + ".limits",
            "either minimum or maximum storage value is required, but neither was provided"));
      }
      for (String key : keys) {
        errors.addAll(validateBounds(path, key, bounds));
      }
    }
    return errors;
  }

  private static List<FieldError> validateBounds(String path, String key, Map<String, Map<String, Quantity>> bounds) {
    List<FieldError> errors = new ArrayList<>();
    Quantity min = bounds.get("min").get(key);
    Quantity max = bounds.get("max").get(key);
    Quantity limit = bounds.get("default").get(key);
    Quantity request = bounds.get("defaultRequest").get(key);
    Quantity ratio = bounds.get("maxLimitRequestRatio").get(key);
    String at = "[" + key + "]";
    if (min != null && max != null && min.compareTo(max) > 0) {
      errors.add(FieldError.invalid(path + ".min" + at, min.toString(),
          "min value " + min + " is greater than max value " + max));
    }
    if (request != null && min != null && min.compareTo(request) > 0) {
      errors.add(FieldError.invalid(path + ".defaultRequest" + at, request.toString(),
          "min value " + min + " is greater than default request value " + request));
    }
    if (request != null && max != null && request.compareTo(max) > 0) {
      errors.add(FieldError.invalid(path + ".defaultRequest" + at, request.toString(),
          "default request value " + request + " is greater than max value " + max));
    }
    if (request != null && limit != null && request.compareTo(limit) > 0) {
      errors.add(FieldError.invalid(path + ".defaultRequest" + at, request.toString(),
          "default request value " + request + " is greater than default limit value " + limit));
    }
    if (limit != null && min != null && min.compareTo(limit) > 0) {
      errors.add(FieldError.invalid(path + ".default" + at, min.toString(),
          "min value " + min + " is greater than default value " + limit));
    }
    if (limit != null && max != null && limit.compareTo(max) > 0) {
      errors.add(FieldError.invalid(path + ".default" + at, max.toString(),
          "default value " + limit + " is greater than max value " + max));
    }
    if (ratio != null && ratio.compareTo(Quantity.parse("1")) < 0) {
      errors.add(FieldError.invalid(path + ".maxLimitRequestRatio" + at, ratio.toString(),
          "ratio " + ratio + " is less than 1"));
    }
    if (ratio != null && min != null && max != null && min.signum() > 0) {
      BigDecimal maxOverMin = max.decimalValue().divide(min.decimalValue(), MathContext.DECIMAL64);
      if (ratio.decimalValue().compareTo(maxOverMin) > 0) {
        errors.add(FieldError.invalid(path + ".maxLimitRequestRatio" + at, ratio.toString(), "ratio " + ratio
            + " is greater than max/min = " + String.format(Locale.ROOT, "%f", maxOverMin.doubleValue())));
      }
    }
    boolean overcommit = !key.startsWith("hugepages-") && (!key.contains("/") || key.contains("kubernetes.io/"));
    if (!overcommit && limit != null && request != null && limit.compareTo(request) != 0) {
      errors.add(FieldError.invalid(path + ".defaultRequest" + at, request.toString(), "default value " + limit
          + " must equal to defaultRequest value " + request + " in " + key));
    }
    return errors;
  }

  /** validateLimitRangeTypeName: a qualified name, standard unless it has a domain. */
  private static List<FieldError> validateTypeName(String type, String path) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validateQualifiedName(type, path));
    if (errors.isEmpty() && !type.contains("/") && !STANDARD_TYPES.contains(type)) {
      errors.add(FieldError.invalid(path, type, "must be a standard limit type or fully qualified"));
    }
    return errors;
  }
}
