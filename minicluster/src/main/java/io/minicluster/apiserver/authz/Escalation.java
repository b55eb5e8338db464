package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Escalation prevention on RBAC writes, as pkg/registry/rbac's policy-based storages: a user may write a Role or
 * ClusterRole only with rules it holds itself, unless it may {@code escalate} roles; may bind a role only when it
 * holds the role's rules, unless it may {@code bind} that role. system:masters may do both. A cluster role with an
 * aggregationRule needs escalate (upstream: cluster-admin privileges).
 */
public final class Escalation {
  private static final String GROUP = "rbac.authorization.k8s.io";

  private final RbacAuthorizer authorizer;

  public Escalation(RbacAuthorizer authorizer) {
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
  }

  /**
   * Checks the object a user is about to store (after a create, update or patch is applied).
   *
   * @param namespace the object's namespace, "" or null for cluster objects
   * @throws ApiException 403 when the write would grant what the user does not hold (404 when the bound role is
   *     missing)
   */
  public void check(ResourceType type, String namespace, ObjectNode object, UserInfo user) {
    requireNonNull(type, "type is null");
    requireNonNull(object, "object is null");
    String ns = namespace == null ? "" : namespace;
    boolean role = type.equals(ResourceTypes.ROLES) || type.equals(ResourceTypes.CLUSTER_ROLES);
    boolean binding = type.equals(ResourceTypes.ROLE_BINDINGS) || type.equals(ResourceTypes.CLUSTER_ROLE_BINDINGS);
    if (!role && !binding || user == null || user.inGroup(RbacAuthorizer.MASTERS)) {
      return;
    }
    String name = Json.text(object.get("metadata"), "name");
    if (role) {
      if (allowed(user, "escalate", type.plural(), ns, name)) {
        return;
      }
      JsonNode aggregation = object.get("aggregationRule");
      if (aggregation != null && !aggregation.isNull()) {
        throw ApiException.forbidden(type, name, "must have cluster-admin privileges to use the aggregationRule");
      }
      confirmNoEscalation(type, name, ns, user, PolicyRule.of(Json.objects(object, "rules")));
      return;
    }
    JsonNode roleRef = object.path("roleRef");
    String roleKind = Json.text(roleRef, "kind");
    String roleName = Json.text(roleRef, "name");
    String roleResource = roleKind.equals("ClusterRole") ? "clusterroles" : "roles";
    if (allowed(user, "bind", roleResource, ns, roleName)) {
      return;
    }
    Optional<List<PolicyRule>> rules = authorizer.roleRules(roleKind, ns, roleName);
    if (rules.isEmpty()) {
      throw ApiException.notFound(roleKind.equals("ClusterRole") ? ResourceTypes.CLUSTER_ROLES : ResourceTypes.ROLES,
          roleName);
    }
    confirmNoEscalation(type, name, ns, user, rules.get());
  }

  private boolean allowed(UserInfo user, String verb, String resource, String namespace, String name) {
    return authorizer.authorize(Attributes.resource(user, verb, GROUP, resource, "", namespace, name)).allowed();
  }

  /** ConfirmNoEscalation: the user's rules in the namespace must cover {@code rules}. */
  private void confirmNoEscalation(ResourceType type, String name, String namespace, UserInfo user,
      List<PolicyRule> rules) {
    RbacAuthorizer.Rules owner = authorizer.rulesFor(user, namespace);
    List<PolicyRule> missing = Coverage.uncovered(owner.rules(), rules);
    if (missing.isEmpty()) {
      return;
    }
    TreeSet<String> descriptions = new TreeSet<>();
    compact(missing).forEach(rule -> descriptions.add(compactString(rule)));
    String message = "user \"" + user.name() + "\" (groups=" + goQuoted(user.groups())
        + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions);
    if (!owner.errors().isEmpty()) {
      message += "; resolution errors: [" + String.join(" ", owner.errors()) + "]";
    }
    throw ApiException.forbidden(type, name, message);
  }

  /** CompactRules: broken-down resource rules that differ only in their verb become one rule. */
  static List<PolicyRule> compact(List<PolicyRule> rules) {
    Map<List<Object>, PolicyRule> simple = new LinkedHashMap<>();
    List<PolicyRule> compacted = new ArrayList<>();
    for (PolicyRule rule : rules) {
      if (rule.apiGroups().size() != 1 || rule.resources().size() != 1 || rule.resourceNames().size() > 1
          || !rule.nonResourceURLs().isEmpty()) {
        compacted.add(rule);
        continue;
      }
      List<Object> key = List.of(rule.apiGroups(), rule.resources(), rule.resourceNames());
      PolicyRule existing = simple.get(key);
      if (existing == null) {
        simple.put(key, rule);
      } else {
        List<String> verbs = new ArrayList<>(existing.verbs());
        rule.verbs().stream().filter(v -> !verbs.contains(v)).forEach(verbs::add);
        simple.put(key, new PolicyRule(verbs, existing.apiGroups(), existing.resources(), existing.resourceNames(),
            List.of()));
      }
    }
    List<PolicyRule> all = new ArrayList<>(simple.values());
    all.addAll(compacted);
    return all;
  }

  /** rbacv1helpers.CompactString: the non-empty fields, each as Go's %q of a []string. */
  static String compactString(PolicyRule rule) {
    List<String> parts = new ArrayList<>();
    if (!rule.apiGroups().isEmpty()) {
      parts.add("APIGroups:" + goQuoted(rule.apiGroups()));
    }
    if (!rule.resources().isEmpty()) {
      parts.add("Resources:" + goQuoted(rule.resources()));
    }
    if (!rule.nonResourceURLs().isEmpty()) {
      parts.add("NonResourceURLs:" + goQuoted(rule.nonResourceURLs()));
    }
    if (!rule.resourceNames().isEmpty()) {
      parts.add("ResourceNames:" + goQuoted(rule.resourceNames()));
    }
    if (!rule.verbs().isEmpty()) {
      parts.add("Verbs:" + goQuoted(rule.verbs()));
    }
    return "{" + String.join(", ", parts) + "}";
  }

  /** Go's %q of a []string: ["a" "b"]. */
  static String goQuoted(List<String> values) {
    return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(" ", "[", "]"));
  }
}
