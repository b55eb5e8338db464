package io.minicluster.apiserver.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a webhook is called for a request, as the generic webhook dispatcher decides: one of its rules matches the
 * operation, group, version, resource (with subresource and wildcards) and scope (matchPolicy Equivalent also matches
 * the other served versions of the resource), its namespaceSelector the namespace's labels (a Namespace's own labels;
 * cluster-scoped objects always), and its objectSelector the labels of the new or the old object.
 */
final class WebhookMatcher {
  private final Function<String, Optional<JsonNode>> namespaces;

  /** @param namespaces looks a namespace up by name */
  WebhookMatcher(Function<String, Optional<JsonNode>> namespaces) {
    this.namespaces = namespaces;
  }

  boolean matches(JsonNode hook, AdmissionRequest request) {
    return matchesRules(hook, request) && matchesNamespace(hook, request) && matchesObject(hook, request);
  }

  static boolean matchesRules(JsonNode hook, AdmissionRequest request) {
    boolean equivalent = !Json.text(hook, "matchPolicy").equals("Exact");
    for (JsonNode rule : Json.elements(hook, "rules")) {
      if (matchesRule(rule, request, request.type())) {
        return true;
      }
      if (equivalent) {
        for (ResourceType other : ResourceTypes.SERVED) {
          if (other != request.type() && other.group().equals(request.type().group())
              && other.plural().equals(request.type().plural()) && matchesRule(rule, request, other)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean matchesRule(JsonNode rule, AdmissionRequest request, ResourceType type) {
    List<String> operations = Json.strings(rule, "operations");
    if (!operations.contains("*") && !operations.contains(request.operation().name())) {
      return false;
    }
    if (!wildcardOr(Json.strings(rule, "apiGroups"), type.group())
        || !wildcardOr(Json.strings(rule, "apiVersions"), type.version())) {
      return false;
    }
    String scope = Json.text(rule, "scope");
    if (scope.equals("Cluster") && type.namespaced() || scope.equals("Namespaced") && !type.namespaced()) {
      return false;
    }
    String subresource = request.subresource();
    for (String entry : Json.strings(rule, "resources")) {
      int slash = entry.indexOf('/');
      String resource = slash < 0 ? entry : entry.substring(0, slash);
      String sub = slash < 0 ? "" : entry.substring(slash + 1);
      boolean resourceMatches = resource.equals("*") || resource.equals(type.plural());
      boolean subMatches = sub.equals(subresource) || sub.equals("*");
      if (resourceMatches && subMatches) {
        return true;
      }
    }
    return false;
  }

  private static boolean wildcardOr(List<String> values, String value) {
    return values.contains("*") || values.contains(value);
  }

  private boolean matchesNamespace(JsonNode hook, AdmissionRequest request) {
    JsonNode selector = Json.get(hook, "namespaceSelector");
    if (selector == null || selector.isNull() || ObjectMetaValidation.selectorEmpty(selector)) {
      return true;
    }
    if (request.type() == ResourceTypes.NAMESPACES) {
      JsonNode namespace = request.object() != null ? request.object() : request.oldObject();
      return ObjectMetaValidation.selectorMatches(selector, Json.at(namespace, "metadata", "labels"));
    }
    if (!request.type().namespaced()) {
      return true;
    }
    return namespaces.apply(request.namespace())
        .map(namespace -> ObjectMetaValidation.selectorMatches(selector, Json.at(namespace, "metadata", "labels")))
        .orElse(false);
  }

  private static boolean matchesObject(JsonNode hook, AdmissionRequest request) {
    JsonNode selector = Json.get(hook, "objectSelector");
    if (selector == null || selector.isNull() || ObjectMetaValidation.selectorEmpty(selector)) {
      return true;
    }
    return labelsMatch(selector, request.object()) || labelsMatch(selector, request.oldObject());
  }

  private static boolean labelsMatch(JsonNode selector, JsonNode object) {
    return object != null && ObjectMetaValidation.selectorMatches(selector, Json.at(object, "metadata", "labels"));
  }
}
