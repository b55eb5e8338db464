package io.minicluster.controller.clusterroleaggregation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.LabelSelector;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The cluster role aggregation controller (pkg/controller/clusterroleaggregation): a ClusterRole with an
 * aggregationRule gets as rules the union of the rules of every other ClusterRole its selectors match (selector by
 * selector, roles by name, each rule once). Any ClusterRole change requeues every aggregated role; keys are names.
 */
public final class ClusterRoleAggregationController implements ControllerLoop {
  /** A ClusterRole as the controller reads it. */
  record Role(String name, Map<String, String> labels, List<JsonNode> rules, List<Selector> selectors,
      boolean aggregated) {
    static Role from(ObjectNode role) {
      ObjectMeta metadata = ObjectMeta.of(role);
      List<Selector> selectors = new ArrayList<>();
      JsonNode rule = role.get("aggregationRule");
      boolean aggregated = rule != null && rule.isObject();
      for (JsonNode selector : Json.elements(rule, "clusterRoleSelectors")) {
        try {
          selectors.add(LabelSelector.from(selector).toSelector());
        } catch (IllegalArgumentException e) {
          selectors.add(Selector.nothing());
        }
      }
      return new Role(metadata.name(), metadata.labels(), List.copyOf(Json.elements(role, "rules")),
          List.copyOf(selectors), aggregated);
    }
  }

  static final Kind<Role> CLUSTER_ROLES = new Kind<>(ResourceTypes.CLUSTER_ROLES, Role::from);

  private final Client client;
  private final Informer<Role> roles;

  public ClusterRoleAggregationController(Client client, SharedInformers informers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    requireNonNull(queue, "queue is null");
    this.roles = informers.informer(CLUSTER_ROLES);
    roles.addHandler(Handlers.enqueueing(changed -> roles.list(Role::aggregated)
        .forEach(aggregated -> queue.add(aggregated.name()))));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(roles);
  }

  @Override
  public long reconcile(String name) {
    Role role = roles.get(null, name).orElse(null);
    if (role == null || !role.aggregated()) {
      return 0;
    }
    List<JsonNode> rules = aggregatedRules(role, roles.list());
    if (rules.equals(role.rules())) {
      return 0;
    }
    try {
      client.modify(ResourceTypes.CLUSTER_ROLES, null, name, current -> {
        ArrayNode array = Json.array();
        rules.forEach(rule -> array.add(rule.deepCopy()));
        current.set("rules", array);
        return current;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }

  /** The union of the rules of the roles each selector matches, in selector order, roles by name. */
  static List<JsonNode> aggregatedRules(Role role, List<Role> all) {
    List<Role> sorted = all.stream().sorted(Comparator.comparing(Role::name)).toList();
    List<JsonNode> rules = new ArrayList<>();
    for (Selector selector : role.selectors()) {
      for (Role other : sorted) {
        if (other.name().equals(role.name()) || !selector.matches(other.labels())) {
          continue;
        }
        for (JsonNode rule : other.rules()) {
          if (!rules.contains(rule)) {
            rules.add(rule);
          }
        }
      }
    }
    return rules;
  }
}
