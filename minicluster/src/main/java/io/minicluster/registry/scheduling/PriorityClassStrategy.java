package io.minicluster.registry.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * scheduling.k8s.io/v1 PriorityClasses, as pkg/registry/scheduling/priorityclass and ValidatePriorityClass:
 * preemptionPolicy defaults to PreemptLowerPriority; names with the {@code system-} prefix are reserved for the
 * built-in classes (with their values), other classes may not go above {@link #HIGHEST_USER_DEFINABLE_PRIORITY};
 * value and preemptionPolicy may not change.
 */
public final class PriorityClassStrategy implements Strategy {
  public static final String SYSTEM_PREFIX = "system-";
  public static final long HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000L;
  public static final String SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical";
  public static final String SYSTEM_NODE_CRITICAL = "system-node-critical";
  /** The built-in classes (SystemPriorityClasses), by name: their value; neither is globalDefault. */
  public static final Map<String, Long> SYSTEM_CLASSES = systemClasses();
  static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");

  private static Map<String, Long> systemClasses() {
    Map<String, Long> classes = new LinkedHashMap<>();
    classes.put(SYSTEM_NODE_CRITICAL, 2 * HIGHEST_USER_DEFINABLE_PRIORITY + 1000);
    classes.put(SYSTEM_CLUSTER_CRITICAL, 2 * HIGHEST_USER_DEFINABLE_PRIORITY);
    return Map.copyOf(classes);
  }

  @Override
  public ResourceType type() {
    return ResourceTypes.PRIORITY_CLASSES;
  }

  @Override
  public void applyDefaults(ObjectNode priorityClass) {
    Json.defaultText(priorityClass, "preemptionPolicy", "PreemptLowerPriority");
  }

  /** The built-in class of a name, as upstream's bootstrap creates it (with its description). */
  public static ObjectNode systemClass(String name) {
    Long value = SYSTEM_CLASSES.get(name);
    if (value == null) {
      throw new IllegalArgumentException("not a system priority class: " + name);
    }
    ObjectNode priorityClass = Json.object();
    priorityClass.put("apiVersion", "scheduling.k8s.io/v1");
    priorityClass.put("kind", "PriorityClass");
    priorityClass.putObject("metadata").put("name", name);
    priorityClass.put("value", value);
    priorityClass.put("description", name.equals(SYSTEM_NODE_CRITICAL)
        ? "Used for system critical pods that must not be moved from their current node."
        : "Used for system critical pods that must run in the cluster, but can be moved to another node if "
            + "necessary.");
    return priorityClass;
  }

  @Override
  public List<FieldError> validate(ObjectNode priorityClass) {
    List<FieldError> errors = new ArrayList<>();
    String name = Meta.name(priorityClass);
    long value = number(priorityClass);
    if (name.startsWith(SYSTEM_PREFIX)) {
      String problem = systemClassProblem(name, value, globalDefault(priorityClass));
      if (problem != null) {
        errors.add(FieldError.forbidden("metadata.name", "priority class names with '" + SYSTEM_PREFIX
            + "' prefix are reserved for system use only. error: " + problem));
      }
    } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errors.add(FieldError.forbidden("value", "maximum allowed value of a user defined priority is "
          + HIGHEST_USER_DEFINABLE_PRIORITY));
    }
    String policy = Json.textOrNull(priorityClass, "preemptionPolicy");
    if (policy != null) {
      errors.addAll(PodSpecValidation.oneOf(policy, "preemptionPolicy", PREEMPTION_POLICIES));
    }
    return errors;
  }

  /** ValidatePriorityClassUpdate: value and preemptionPolicy fixed (the class itself is not validated again). */
  @Override
  public List<FieldError> validateUpdate(ObjectNode priorityClass, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    if (number(priorityClass) != number(old)) {
      errors.add(FieldError.forbidden("value", "may not be changed in an update."));
    }
    String policy = Json.textOrNull(priorityClass, "preemptionPolicy");
    if (!Objects.equals(policy, Json.textOrNull(old, "preemptionPolicy"))) {
      errors.add(FieldError.invalid("preemptionPolicy", policy == null ? "null" : policy,
          ObjectMetaValidation.IMMUTABLE));
    }
    return errors;
  }

  /** IsKnownSystemPriorityClass's error, or null for a known system class with its value and globalDefault. */
  static String systemClassProblem(String name, long value, boolean globalDefault) {
    Long expected = SYSTEM_CLASSES.get(name);
    if (expected == null) {
      return name + " is not a known system priority class";
    }
    if (expected != value) {
      return "value of " + name + " PriorityClass must be " + expected;
    }
    if (globalDefault) {
      return "globalDefault of " + name + " PriorityClass must be false";
    }
    return null;
  }

  public static boolean globalDefault(JsonNode priorityClass) {
    return Json.bool(priorityClass, "globalDefault");
  }

  private static long number(JsonNode priorityClass) {
    return Json.number(priorityClass, "value", 0);
  }
}
