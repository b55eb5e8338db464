package io.minicluster.api.quota;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One v1.ScopedResourceSelectorRequirement of a quota: a {@code spec.scopes} entry (operator Exists) or a
 * {@code spec.scopeSelector.matchExpressions} entry.
 */
public record ScopeSelector(String scopeName, String operator, List<String> values) {
  public static final String EXISTS = "Exists";

  public ScopeSelector {
    requireNonNull(scopeName, "scopeName is null");
    requireNonNull(operator, "operator is null");
    values = List.copyOf(values);
  }

  /** getScopeSelectorsFromQuota: the scopes, then the selector's expressions. */
  public static List<ScopeSelector> of(JsonNode quota) {
    JsonNode spec = Json.get(quota, "spec");
    List<ScopeSelector> selectors = new ArrayList<>();
    for (String scope : Json.strings(spec, "scopes")) {
      selectors.add(new ScopeSelector(scope, EXISTS, List.of()));
    }
    for (JsonNode expression : Json.elements(Json.get(spec, "scopeSelector"), "matchExpressions")) {
      selectors.add(new ScopeSelector(Json.text(expression, "scopeName"), Json.text(expression, "operator"),
          Json.strings(expression, "values")));
    }
    return selectors;
  }
}
