package io.minicluster.registry.admissionregistration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.validation.Formats;
import io.minicluster.api.validation.WebhookClientConfigValidation;
import io.minicluster.json.Json;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of pkg/apis/admissionregistration/validation that webhooks and policies share, with upstream's messages:
 * rules with operations, failure and match policies, label selectors, match conditions, the client config (exactly
 * one of url or service, the url https, the service's port and path) and the AdmissionReview versions.
 */
final class WebhookValidation {
  static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");
  static final List<String> MATCH_POLICIES = List.of("Equivalent", "Exact");
  static final List<String> NO_SIDE_EFFECTS = List.of("None", "NoneOnDryRun");
  static final List<String> OPERATIONS = List.of("*", "CONNECT", "CREATE", "DELETE", "UPDATE");
  static final List<String> REINVOCATION_POLICIES = List.of("IfNeeded", "Never");
  static final List<String> SCOPES = List.of("*", "Cluster", "Namespaced");
  private static final int MAX_MATCH_CONDITIONS = 64;

  private WebhookValidation() {}

  /** validateValidatingWebhook / validateMutatingWebhook, admission review versions and unique names. */
  static List<FieldError> webhooks(ObjectNode configuration, boolean mutating) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<ObjectNode> hooks = Json.objects(configuration, "webhooks");
    for (int i = 0; i < hooks.size(); i++) {
      ObjectNode hook = hooks.get(i);
      String at = "webhooks[" + i + "]";
      errors.addAll(webhook(hook, mutating, at));
      errors.addAll(reviewVersions(Json.strings(hook, "admissionReviewVersions"), at + ".admissionReviewVersions"));
      String name = Json.text(hook, "name");
      if (!name.isEmpty() && !names.add(name)) {
        errors.add(FieldError.duplicate(at + ".name", name));
      }
    }
    return errors;
  }

  private static List<FieldError> webhook(ObjectNode hook, boolean mutating, String at) {
    List<FieldError> errors = new ArrayList<>(fullyQualifiedName(Json.text(hook, "name"), at + ".name"));
    List<ObjectNode> rules = Json.objects(hook, "rules");
    for (int i = 0; i < rules.size(); i++) {
      errors.addAll(ruleWithOperations(rules.get(i), at + ".rules[" + i + "]"));
    }
    oneOf(hook, "failurePolicy", FAILURE_POLICIES, at, errors);
    oneOf(hook, "matchPolicy", MATCH_POLICIES, at, errors);
    String sideEffects = Json.textOrNull(hook, "sideEffects");
    if (sideEffects == null) {
      errors.add(FieldError.required(at + ".sideEffects", "must specify one of " + String.join(", ", NO_SIDE_EFFECTS)));
    } else if (!NO_SIDE_EFFECTS.contains(sideEffects)) {
      errors.add(FieldError.notSupported(at + ".sideEffects", sideEffects, NO_SIDE_EFFECTS));
    }
    Long timeout = Json.numberOrNull(hook, "timeoutSeconds");
    if (timeout != null && (timeout > 30 || timeout < 1)) {
      errors.add(FieldError.invalid(at + ".timeoutSeconds", timeout, "the timeout value must be between 1 and 30 seconds"));
    }
    errors.addAll(ObjectMetaValidation.validateLabelSelector(Json.get(hook, "namespaceSelector"),
        at + ".namespaceSelector"));
    errors.addAll(ObjectMetaValidation.validateLabelSelector(Json.get(hook, "objectSelector"), at + ".objectSelector"));
    if (mutating) {
      oneOf(hook, "reinvocationPolicy", REINVOCATION_POLICIES, at, errors);
    }
    errors.addAll(WebhookClientConfigValidation.clientConfig(Json.get(hook, "clientConfig"), at + ".clientConfig"));
    errors.addAll(matchConditions(Json.objects(hook, "matchConditions"), at + ".matchConditions"));
    return errors;
  }

  private static void oneOf(JsonNode node, String field, List<String> supported, String at, List<FieldError> errors) {
    String value = Json.textOrNull(node, field);
    if (value != null && !supported.contains(value)) {
      errors.add(FieldError.notSupported(at + "." + field, value, supported));
    }
  }

  /** A list as field errors render it (JSON). */
  static JsonNode json(List<String> values) {
    return WebhookClientConfigValidation.json(values);
  }

  /** IsFullyQualifiedName: a DNS subdomain of at least three segments. */
  static List<FieldError> fullyQualifiedName(String name, String at) {
    if (name.isEmpty()) {
      return List.of(FieldError.required(at, ""));
    }
    List<FieldError> errors = new ArrayList<>();
    for (String message : Formats.dns1123Subdomain(name)) {
      errors.add(FieldError.invalid(at, name, message));
    }
    if (errors.isEmpty() && name.split("\\.").length < 3) {
      errors.add(FieldError.invalid(at, name, "should be a domain with at least three segments separated by dots"));
    }
    return errors;
  }

  /** validateRuleWithOperations: operations, then the rule (groups, versions, resources with subresources, scope). */
  static List<FieldError> ruleWithOperations(JsonNode rule, String at) {
    List<FieldError> errors = new ArrayList<>();
    List<String> operations = Json.strings(rule, "operations");
    if (operations.isEmpty()) {
      errors.add(FieldError.required(at + ".operations", ""));
    }
    if (operations.size() > 1 && operations.contains("*")) {
      errors.add(FieldError.invalid(at + ".operations", json(operations), "if '*' is present, must not specify other operations"));
    }
    for (int i = 0; i < operations.size(); i++) {
      if (!OPERATIONS.contains(operations.get(i))) {
        errors.add(FieldError.notSupported(at + ".operations[" + i + "]", operations.get(i), OPERATIONS));
      }
    }
    List<String> groups = Json.strings(rule, "apiGroups");
    if (groups.isEmpty()) {
      errors.add(FieldError.required(at + ".apiGroups", ""));
    }
    if (groups.size() > 1 && groups.contains("*")) {
      errors.add(FieldError.invalid(at + ".apiGroups", json(groups), "if '*' is present, must not specify other API groups"));
    }
    List<String> versions = Json.strings(rule, "apiVersions");
    if (versions.isEmpty()) {
      errors.add(FieldError.required(at + ".apiVersions", ""));
    }
    if (versions.size() > 1 && versions.contains("*")) {
      errors.add(FieldError.invalid(at + ".apiVersions", json(versions),
          "if '*' is present, must not specify other API versions"));
    }
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i).isEmpty()) {
        errors.add(FieldError.required(at + ".apiVersions[" + i + "]", ""));
      }
    }
    errors.addAll(resources(Json.strings(rule, "resources"), at + ".resources"));
    oneOf(rule, "scope", SCOPES, at, errors);
    return errors;
  }

  /** validateResources: resource/subresource pairs and their wildcards. */
  private static List<FieldError> resources(List<String> resources, String at) {
    List<FieldError> errors = new ArrayList<>();
    if (resources.isEmpty()) {
      errors.add(FieldError.required(at, ""));
    }
    Set<String> withWildcardSubresource = new HashSet<>();
    Set<String> subresourcesOfWildcard = new HashSet<>();
    boolean doubleWildcard = false;
    boolean singleWildcard = false;
    boolean plainResource = false;
    for (int i = 0; i < resources.size(); i++) {
      String entry = resources.get(i);
      String path = at + "[" + i + "]";
      if (entry.isEmpty()) {
        errors.add(FieldError.required(path, ""));
        continue;
      }
      doubleWildcard |= entry.equals("*/*");
      singleWildcard |= entry.equals("*");
      int slash = entry.indexOf('/');
      if (slash < 0) {
        plainResource = !entry.equals("*");
        continue;
      }
      String resource = entry.substring(0, slash);
      String subresource = entry.substring(slash + 1);
      if (withWildcardSubresource.contains(resource)) {
        errors.add(FieldError.invalid(path, entry, "if '" + resource + "/*' is present, must not specify " + entry));
      }
      if (subresourcesOfWildcard.contains(subresource)) {
        errors.add(FieldError.invalid(path, entry, "if '*/" + subresource + "' is present, must not specify " + entry));
      }
      if (subresource.equals("*")) {
        withWildcardSubresource.add(resource);
      }
      if (resource.equals("*")) {
        subresourcesOfWildcard.add(subresource);
      }
    }
    if (resources.size() > 1 && doubleWildcard) {
      errors.add(FieldError.invalid(at, json(resources), "if '*/*' is present, must not specify other resources"));
    }
    if (singleWildcard && plainResource) {
      errors.add(FieldError.invalid(at, json(resources),
          "if '*' is present, must not specify other resources without subresources"));
    }
    return errors;
  }

  /** validateAdmissionReviewVersions: at least one the server understands, no duplicates, DNS-1035 labels. */
  static List<FieldError> reviewVersions(List<String> versions, String at) {
    return WebhookClientConfigValidation.reviewVersions(versions, at,
        "must specify one of " + String.join(", ", WebhookClientConfigValidation.REVIEW_VERSIONS));
  }

  /** validateMatchConditions: at most 64, each named (a unique qualified name) with an expression. */
  static List<FieldError> matchConditions(List<ObjectNode> conditions, String at) {
    List<FieldError> errors = new ArrayList<>();
    if (conditions.size() > MAX_MATCH_CONDITIONS) {
      errors.add(FieldError.tooMany(at, conditions.size(), MAX_MATCH_CONDITIONS));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < conditions.size(); i++) {
      ObjectNode condition = conditions.get(i);
      String path = at + "[" + i + "]";
      String name = Json.text(condition, "name");
      if (name.isEmpty()) {
        errors.add(FieldError.required(path + ".name", ""));
      } else {
        errors.addAll(ObjectMetaValidation.validateQualifiedName(name, path + ".name"));
        if (!names.add(name)) {
          errors.add(FieldError.duplicate(path + ".name", name));
        }
      }
      if (Json.text(condition, "expression").isEmpty()) {
        errors.add(FieldError.required(path + ".expression", ""));
      }
    }
    return errors;
  }
}
