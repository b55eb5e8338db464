package io.minicluster.apiserver.authz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link RbacPolicy} for tests. */
final class FakePolicy implements RbacPolicy {
  private final Map<String, List<PolicyRule>> roles = new HashMap<>();
  private final Map<String, List<PolicyRule>> clusterRoles = new HashMap<>();
  private final List<Binding> bindings = new ArrayList<>();

  FakePolicy role(String namespace, String name, PolicyRule... rules) {
    roles.put(namespace + "/" + name, List.of(rules));
    return this;
  }

  FakePolicy clusterRole(String name, PolicyRule... rules) {
    clusterRoles.put(name, List.of(rules));
    return this;
  }

  /** A RoleBinding when namespace is set, else a ClusterRoleBinding. */
  FakePolicy bind(String namespace, String name, String roleKind, String roleName, Subject... subjects) {
    bindings.add(new Binding(name, namespace, roleKind, roleName, List.of(subjects)));
    return this;
  }

  static Subject user(String name) {
    return new Subject("User", name, "");
  }

  static Subject group(String name) {
    return new Subject("Group", name, "");
  }

  static Subject serviceAccount(String namespace, String name) {
    return new Subject("ServiceAccount", name, namespace);
  }

  static PolicyRule resources(List<String> verbs, List<String> groups, List<String> resources, String... names) {
    return new PolicyRule(verbs, groups, resources, List.of(names), List.of());
  }

  static PolicyRule urls(List<String> verbs, String... urls) {
    return new PolicyRule(verbs, List.of(), List.of(), List.of(), List.of(urls));
  }

  @Override
  public Optional<List<PolicyRule>> role(String namespace, String name) {
    return Optional.ofNullable(roles.get(namespace + "/" + name));
  }

  @Override
  public Optional<List<PolicyRule>> clusterRole(String name) {
    return Optional.ofNullable(clusterRoles.get(name));
  }

  @Override
  public List<Binding> clusterRoleBindings() {
    return bindings.stream().filter(b -> b.namespace().isEmpty()).toList();
  }

  @Override
  public List<Binding> roleBindings(String namespace) {
    return bindings.stream().filter(b -> b.namespace().equals(namespace)).toList();
  }
}
