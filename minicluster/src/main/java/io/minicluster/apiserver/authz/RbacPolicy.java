package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** The RBAC objects the authorizer reads (from an informer cache in the daemon, from fakes in tests). */
public interface RbacPolicy {
  /** No roles and no bindings: only {@value RbacAuthorizer#MASTERS} may do anything. */
  RbacPolicy EMPTY = new RbacPolicy() {
    @Override
    public Optional<List<PolicyRule>> role(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<List<PolicyRule>> clusterRole(String name) {
      return Optional.empty();
    }

    @Override
    public List<Binding> clusterRoleBindings() {
      return List.of();
    }

    @Override
    public List<Binding> roleBindings(String namespace) {
      return List.of();
    }
  };

  /** The rules of a Role, or empty when it does not exist. */
  Optional<List<PolicyRule>> role(String namespace, String name);

  /** The rules of a ClusterRole, or empty when it does not exist. */
  Optional<List<PolicyRule>> clusterRole(String name);

  List<Binding> clusterRoleBindings();

  List<Binding> roleBindings(String namespace);

  /** A subject of a binding: kind User, Group or ServiceAccount (with its namespace). */
  record Subject(String kind, String name, String namespace) {
    public Subject {
      requireNonNull(kind, "kind is null");
      requireNonNull(name, "name is null");
      namespace = namespace == null ? "" : namespace;
    }
  }

  /**
   * A RoleBinding (namespace set) or ClusterRoleBinding (namespace "").
   *
   * @param roleKind Role or ClusterRole
   */
  record Binding(String name, String namespace, String roleKind, String roleName, List<Subject> subjects) {
    public Binding {
      requireNonNull(name, "name is null");
      namespace = namespace == null ? "" : namespace;
      requireNonNull(roleKind, "roleKind is null");
      requireNonNull(roleName, "roleName is null");
      subjects = List.copyOf(subjects);
    }
  }
}
