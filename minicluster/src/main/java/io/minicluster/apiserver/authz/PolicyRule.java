package io.minicluster.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.util.List;

/**
 * One rule of a Role or ClusterRole, and how it matches a request as plugin/pkg/auth/authorizer/rbac's RuleAllows:
 * "*" matches every verb, group, resource or path; "*&#47;sub" every resource's subresource {@code sub}; a path
 * ending in "*" every path with that prefix; resourceNames, when present, the named objects only.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
    List<String> resourceNames, List<String> nonResourceURLs) {
  private static final String ALL = "*";

  public PolicyRule {
    verbs = List.copyOf(verbs);
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    nonResourceURLs = List.copyOf(nonResourceURLs);
  }

  public static PolicyRule of(JsonNode rule) {
    return new PolicyRule(Json.strings(rule, "verbs"), Json.strings(rule, "apiGroups"), Json.strings(rule, "resources"),
        Json.strings(rule, "resourceNames"), Json.strings(rule, "nonResourceURLs"));
  }

  /** The rules of a role's JSON. */
  public static List<PolicyRule> of(List<? extends JsonNode> rules) {
    return rules.stream().map(PolicyRule::of).toList();
  }

  /** This rule as the JSON of a PolicyRule (empty lists left out). */
  public ObjectNode toJson() {
    ObjectNode rule = Json.object();
    put(rule, "verbs", verbs);
    put(rule, "apiGroups", apiGroups);
    put(rule, "resources", resources);
    put(rule, "resourceNames", resourceNames);
    put(rule, "nonResourceURLs", nonResourceURLs);
    return rule;
  }

  private static void put(ObjectNode rule, String field, List<String> values) {
    if (!values.isEmpty()) {
      values.forEach(rule.putArray(field)::add);
    }
  }

  public boolean allows(Attributes request) {
    if (!matches(verbs, request.verb())) {
      return false;
    }
    if (!request.resourceRequest()) {
      return urlMatches(request.path());
    }
    String combined = request.subresource().isEmpty() ? request.resource()
        : request.resource() + "/" + request.subresource();
    return matches(apiGroups, request.apiGroup()) && resourceMatches(combined, request.subresource())
        && (resourceNames.isEmpty() || resourceNames.contains(request.name()));
  }

  private static boolean matches(List<String> values, String value) {
    return values.contains(ALL) || values.contains(value);
  }

  private boolean resourceMatches(String combined, String subresource) {
    for (String resource : resources) {
      if (resource.equals(ALL) || resource.equals(combined)) {
        return true;
      }
      if (!subresource.isEmpty() && resource.length() == subresource.length() + 2 && resource.startsWith("*/")
          && resource.endsWith(subresource)) {
        return true;
      }
    }
    return false;
  }

  private boolean urlMatches(String path) {
    for (String url : nonResourceURLs) {
      if (url.equals(ALL) || url.equals(path)
          || url.endsWith(ALL) && path.startsWith(url.substring(0, url.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
