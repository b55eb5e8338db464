package io.minicluster.registry.admissionregistration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ValidatingAdmissionPolicies and their bindings, as pkg/registry/admissionregistration: defaulted as the v1
 * defaulting functions do (failurePolicy Fail; match resources with empty selectors, matchPolicy Equivalent, rules of
 * scope "*") and validated with upstream's messages, CEL expressions only checked for presence (they are stored,
 * not compiled nor evaluated).
 */
public final class ValidatingAdmissionPolicyStrategy implements Strategy {
  static final List<String> REASONS = List.of("Forbidden", "Invalid", "RequestEntityTooLarge");
  static final List<String> ACTIONS = List.of("Audit", "Deny", "Warn");

  private final ResourceType type;

  private ValidatingAdmissionPolicyStrategy(ResourceType type) {
    this.type = type;
  }

  public static ValidatingAdmissionPolicyStrategy policies() {
    return new ValidatingAdmissionPolicyStrategy(ResourceTypes.VALIDATING_ADMISSION_POLICIES);
  }

  public static ValidatingAdmissionPolicyStrategy bindings() {
    return new ValidatingAdmissionPolicyStrategy(ResourceTypes.VALIDATING_ADMISSION_POLICY_BINDINGS);
  }

  private boolean policy() {
    return type == ResourceTypes.VALIDATING_ADMISSION_POLICIES;
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public boolean hasGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ObjectNode object) {
    ObjectNode spec = Json.object(object, "spec");
    if (spec == null) {
      return;
    }
    if (policy()) {
      Json.defaultText(spec, "failurePolicy", "Fail");
    }
    ObjectNode match = Json.object(spec, policy() ? "matchConstraints" : "matchResources");
    if (match != null) {
      Json.defaultText(match, "matchPolicy", "Equivalent");
      if (!match.hasNonNull("namespaceSelector")) {
        match.putObject("namespaceSelector");
      }
      if (!match.hasNonNull("objectSelector")) {
        match.putObject("objectSelector");
      }
      for (String rules : List.of("resourceRules", "excludeResourceRules")) {
        Json.objects(match, rules).forEach(rule -> Json.defaultText(rule, "scope", "*"));
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode object) {
    JsonNode spec = Json.get(object, "spec");
    return policy() ? validatePolicy(spec) : validateBinding(spec);
  }

  private static List<FieldError> validatePolicy(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    String failurePolicy = Json.textOrNull(spec, "failurePolicy");
    if (failurePolicy == null) {
      errors.add(FieldError.required("spec.failurePolicy", ""));
    } else if (!WebhookValidation.FAILURE_POLICIES.contains(failurePolicy)) {
      errors.add(FieldError.notSupported("spec.failurePolicy", failurePolicy, WebhookValidation.FAILURE_POLICIES));
    }
    JsonNode paramKind = Json.get(spec, "paramKind");
    if (paramKind != null && !paramKind.isNull()) {
      errors.addAll(paramKind(paramKind, "spec.paramKind"));
    }
    JsonNode match = Json.get(spec, "matchConstraints");
    if (match == null || match.isNull()) {
      errors.add(FieldError.required("spec.matchConstraints", ""));
    } else {
      errors.addAll(matchResources(match, "spec.matchConstraints"));
      if (Json.elements(match, "resourceRules").isEmpty()) {
        errors.add(FieldError.required("spec.matchConstraints.resourceRules", ""));
      }
    }
    errors.addAll(WebhookValidation.matchConditions(Json.objects(spec, "matchConditions"), "spec.matchConditions"));
    List<ObjectNode> validations = Json.objects(spec, "validations");
    if (validations.isEmpty() && Json.elements(spec, "auditAnnotations").isEmpty()) {
      String detail = "validations or auditAnnotations must contain at least one item";
      errors.add(FieldError.required("spec.validations", detail));
      errors.add(FieldError.required("spec.auditAnnotations", detail));
    }
    for (int i = 0; i < validations.size(); i++) {
      errors.addAll(validation(validations.get(i), "spec.validations[" + i + "]"));
    }
    return errors;
  }

  private static List<FieldError> validation(JsonNode validation, String at) {
    List<FieldError> errors = new ArrayList<>();
    if (Json.text(validation, "expression").trim().isEmpty()) {
      errors.add(FieldError.required(at + ".expression", "expression is not specified"));
    }
    String messageExpression = Json.text(validation, "messageExpression");
    if (!messageExpression.isEmpty() && messageExpression.trim().isEmpty()) {
      errors.add(FieldError.invalid(at + ".messageExpression", messageExpression, "must be non-empty if specified"));
    }
    String message = Json.text(validation, "message");
    if (!message.isEmpty() && message.trim().isEmpty()) {
      errors.add(FieldError.invalid(at + ".message", message, "message must be non-empty if specified"));
    } else if (message.trim().contains("\n")) {
      errors.add(FieldError.invalid(at + ".message", message, "message must not contain line breaks"));
    }
    String reason = Json.textOrNull(validation, "reason");
    if (reason != null && !REASONS.contains(reason)) {
      errors.add(FieldError.notSupported(at + ".reason", reason, REASONS));
    }
    return errors;
  }

  /** validateParamKind: apiVersion group/version and kind. */
  private static List<FieldError> paramKind(JsonNode paramKind, String at) {
    List<FieldError> errors = new ArrayList<>();
    String apiVersion = Json.text(paramKind, "apiVersion");
    if (apiVersion.isEmpty()) {
      errors.add(FieldError.required(at + ".apiVersion", ""));
    } else if (apiVersion.chars().filter(c -> c == '/').count() > 1) {
      errors.add(FieldError.invalid(at + ".apiVersion", apiVersion, "unexpected GroupVersion string: " + apiVersion));
    } else {
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String version = apiVersion.substring(slash + 1);
      if (!group.isEmpty() && !Formats.dns1123Subdomain(group).isEmpty()) {
        errors.add(FieldError.invalid(at + ".apiVersion", group, String.join(",", Formats.dns1123Subdomain(group))));
      }
      if (version.isEmpty()) {
        errors.add(FieldError.invalid(at + ".apiVersion", apiVersion, "version must be specified"));
      } else if (!Formats.dns1035Label(version).isEmpty()) {
        errors.add(FieldError.invalid(at + ".apiVersion", version, String.join(",", Formats.dns1035Label(version))));
      }
    }
    String kind = Json.text(paramKind, "kind");
    if (kind.isEmpty()) {
      errors.add(FieldError.required(at + ".kind", ""));
    } else if (!Formats.dns1035Label(kind.toLowerCase()).isEmpty()) {
      errors.add(FieldError.invalid(at + ".kind", kind, "may have mixed case, but should otherwise match: "
          + String.join(",", Formats.dns1035Label(kind.toLowerCase()))));
    }
    return errors;
  }

  /** validateMatchResources: matchPolicy and both selectors set, the (exclude) resource rules valid. */
  private static List<FieldError> matchResources(JsonNode match, String at) {
    List<FieldError> errors = new ArrayList<>();
    String matchPolicy = Json.textOrNull(match, "matchPolicy");
    if (matchPolicy == null) {
      errors.add(FieldError.required(at + ".matchPolicy", ""));
    } else if (!WebhookValidation.MATCH_POLICIES.contains(matchPolicy)) {
      errors.add(FieldError.notSupported(at + ".matchPolicy", matchPolicy, WebhookValidation.MATCH_POLICIES));
    }
    for (String selector : List.of("namespaceSelector", "objectSelector")) {
      JsonNode value = Json.get(match, selector);
      if (value == null || value.isNull()) {
        errors.add(FieldError.required(at + "." + selector, ""));
      } else {
        errors.addAll(ObjectMetaValidation.validateLabelSelector(value, at + "." + selector));
      }
    }
    for (String rules : List.of("resourceRules", "excludeResourceRules")) {
      List<JsonNode> list = Json.elements(match, rules);
      for (int i = 0; i < list.size(); i++) {
        String path = at + "." + rules + "[" + i + "]";
        Set<String> names = new HashSet<>();
        List<String> resourceNames = Json.strings(list.get(i), "resourceNames");
        for (int j = 0; j < resourceNames.size(); j++) {
          String name = resourceNames.get(j);
          for (String message : Formats.pathSegmentName(name, false)) {
            errors.add(FieldError.invalid(path + ".resourceNames[" + j + "]", name, message));
          }
          if (!names.add(name)) {
            errors.add(FieldError.duplicate(path + ".resourceNames[" + j + "]", name));
          }
        }
        errors.addAll(WebhookValidation.ruleWithOperations(list.get(i), path));
      }
    }
    return errors;
  }

  private static List<FieldError> validateBinding(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    if (Json.text(spec, "policyName").isEmpty()) {
      errors.add(FieldError.required("spec.policyName", ""));
    }
    JsonNode match = Json.get(spec, "matchResources");
    if (match != null && !match.isNull()) {
      errors.addAll(matchResources(match, "spec.matchResources"));
    }
    List<String> actions = Json.strings(spec, "validationActions");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < actions.size(); i++) {
      String action = actions.get(i);
      if (!ACTIONS.contains(action)) {
        errors.add(FieldError.notSupported("spec.validationActions[" + i + "]", action, ACTIONS));
      }
      if (!seen.add(action)) {
        errors.add(FieldError.duplicate("spec.validationActions[" + i + "]", action));
      }
    }
    if (seen.contains("Deny") && seen.contains("Warn")) {
      errors.add(FieldError.invalid("spec.validationActions", WebhookValidation.json(actions), "must not contain both "
          + "Deny and Warn (repeating the same validation failure information in the API response and headers serves "
          + "no purpose)"));
    }
    if (seen.isEmpty()) {
      errors.add(FieldError.required("spec.validationActions", "at least one validation action is required"));
    }
    return errors;
  }
}
