package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.authz.PolicyRule;
import io.minicluster.apiserver.authz.RbacPolicy;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Optional;

/**
 * The authorizer's RBAC objects from the shared informers' caches (each object decoded once per version), as the
 * apiserver's RBAC authorizer reads its listers.
 */
final class RbacInformerPolicy implements RbacPolicy {
  private record Rules(List<PolicyRule> rules) {}

  private static final Kind<Rules> ROLES = new Kind<>(ResourceTypes.ROLES, RbacInformerPolicy::rules);
  private static final Kind<Rules> CLUSTER_ROLES = new Kind<>(ResourceTypes.CLUSTER_ROLES, RbacInformerPolicy::rules);
  private static final Kind<Binding> ROLE_BINDINGS =
      new Kind<>(ResourceTypes.ROLE_BINDINGS, RbacInformerPolicy::binding);
  private static final Kind<Binding> CLUSTER_ROLE_BINDINGS =
      new Kind<>(ResourceTypes.CLUSTER_ROLE_BINDINGS, RbacInformerPolicy::binding);

  private final Informer<Rules> roles;
  private final Informer<Rules> clusterRoles;
  private final Informer<Binding> roleBindings;
  private final Informer<Binding> clusterRoleBindings;

  RbacInformerPolicy(SharedInformers informers) {
    requireNonNull(informers, "informers is null");
    roles = informers.informer(ROLES);
    clusterRoles = informers.informer(CLUSTER_ROLES);
    roleBindings = informers.informer(ROLE_BINDINGS);
    clusterRoleBindings = informers.informer(CLUSTER_ROLE_BINDINGS);
  }

  /** Starts the four informers (the authorizer denies all but system:masters until they have listed). */
  void start() {
    List.of(roles, clusterRoles, roleBindings, clusterRoleBindings).forEach(Informer::start);
  }

  @Override
  public Optional<List<PolicyRule>> role(String namespace, String name) {
    return roles.get(namespace, name).map(Rules::rules);
  }

  @Override
  public Optional<List<PolicyRule>> clusterRole(String name) {
    return clusterRoles.get(null, name).map(Rules::rules);
  }

  @Override
  public List<Binding> clusterRoleBindings() {
    return clusterRoleBindings.list();
  }

  @Override
  public List<Binding> roleBindings(String namespace) {
    return roleBindings.list(namespace);
  }

  private static Rules rules(ObjectNode role) {
    return new Rules(PolicyRule.of(Json.objects(role, "rules")));
  }

  private static Binding binding(ObjectNode binding) {
    JsonNode metadata = Json.get(binding, "metadata");
    JsonNode roleRef = Json.get(binding, "roleRef");
    List<Subject> subjects = Json.objects(binding, "subjects").stream()
        .map(s -> new Subject(Json.text(s, "kind"), Json.text(s, "name"), Json.text(s, "namespace"))).toList();
    return new Binding(Json.text(metadata, "name"), Json.text(metadata, "namespace"), Json.text(roleRef, "kind"),
        Json.text(roleRef, "name"), subjects);
  }
}
