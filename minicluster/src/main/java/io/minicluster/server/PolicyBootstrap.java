package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.apiserver.authz.BootstrapPolicy;
import io.minicluster.apiserver.authz.Coverage;
import io.minicluster.apiserver.authz.PolicyRule;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.registry.Registries;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apiserver's rbac/bootstrap-roles post-start hook, at every start: the {@link BootstrapPolicy} roles and bindings
 * that are missing are created; those present and not annotated {@code rbac.authorization.kubernetes.io/autoupdate:
 * "false"} get what they lack (labels, annotations, rules not covered, aggregation selectors, subjects), and a binding
 * whose roleRef changed is recreated. Permissions an administrator added stay.
 */
final class PolicyBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyBootstrap.class);

  private final Registries registries;
  private final ApiserverWrites writes;

  PolicyBootstrap(Registries registries, ApiserverWrites writes) {
    this.registries = requireNonNull(registries, "registries is null");
    this.writes = requireNonNull(writes, "writes is null");
  }

  void run() {
    for (ObjectNode role : BootstrapPolicy.clusterRoles()) {
      reconcile(ResourceTypes.CLUSTER_ROLES, role);
    }
    for (ObjectNode binding : BootstrapPolicy.clusterRoleBindings()) {
      reconcile(ResourceTypes.CLUSTER_ROLE_BINDINGS, binding);
    }
  }

  private void reconcile(ResourceType type, ObjectNode expected) {
    GenericRegistry registry = registries.get(type);
    String name = Json.text(expected.get("metadata"), "name");
    ObjectNode existing = registry.find(null, name).orElse(null);
    if (existing == null) {
      create(registry, expected);
      return;
    }
    if (Json.text(Json.at(existing, "metadata", "annotations"), BootstrapPolicy.AUTOUPDATE).equals("false")) {
      return;
    }
    if (type.equals(ResourceTypes.CLUSTER_ROLE_BINDINGS) && !existing.path("roleRef").equals(expected.get("roleRef"))) {
      LOG.info("recreating {} {}: its roleRef changed", type.kind(), name);
      registry.delete(null, name, DeleteOptions.DEFAULT);
      create(registry, expected);
      return;
    }
    registry.guaranteedUpdate(null, name, current -> reconciled(type, current, expected) ? current : null,
        writes.options(registry, UpdateKind.MAIN), UpdateKind.MAIN);
  }

  /** Adds to {@code current} what {@code expected} has and it lacks; false when nothing was missing. */
  static boolean reconciled(ResourceType type, ObjectNode current, ObjectNode expected) {
    boolean changed = addMissingKeys(current, expected, "labels") | addMissingKeys(current, expected, "annotations");
    if (type.equals(ResourceTypes.CLUSTER_ROLE_BINDINGS)) {
      for (JsonNode subject : expected.path("subjects")) {
        if (!contains(current.path("subjects"), subject)) {
          current.withArray("subjects").add(subject.deepCopy());
          changed = true;
        }
      }
      return changed;
    }
    JsonNode aggregation = expected.get("aggregationRule");
    if (aggregation != null) {
      for (JsonNode selector : aggregation.path("clusterRoleSelectors")) {
        ArrayNode selectors = Json.with(current, "aggregationRule").withArray("clusterRoleSelectors");
        if (!contains(selectors, selector)) {
          selectors.add(selector.deepCopy());
          changed = true;
        }
      }
      // an aggregated role's rules are the aggregation controller's
      return changed;
    }
    List<PolicyRule> missing = Coverage.uncovered(PolicyRule.of(Json.objects(current, "rules")),
        PolicyRule.of(Json.objects(expected, "rules")));
    // as upstream, what is missing is appended broken down (one verb, group, resource or path per rule)
    missing.forEach(rule -> current.withArray("rules").add(rule.toJson()));
    return changed || !missing.isEmpty();
  }

  private static boolean contains(JsonNode array, JsonNode element) {
    for (JsonNode item : array) {
      if (item.equals(element)) {
        return true;
      }
    }
    return false;
  }

  private static boolean addMissingKeys(ObjectNode current, ObjectNode expected, String field) {
    boolean changed = false;
    JsonNode wanted = Json.at(expected, "metadata", field);
    for (String key : Json.keys(expected.get("metadata"), field)) {
      if (!Json.has(Json.at(current, "metadata", field), key)) {
        Json.with(current, "metadata", field).set(key, wanted.get(key).deepCopy());
        changed = true;
      }
    }
    return changed;
  }

  private void create(GenericRegistry registry, ObjectNode object) {
    try {
      registry.create(null, object.deepCopy(), writes.options(registry, UpdateKind.MAIN));
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
    }
  }
}
