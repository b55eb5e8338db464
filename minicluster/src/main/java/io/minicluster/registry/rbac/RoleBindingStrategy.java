package io.minicluster.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * RoleBindings and ClusterRoleBindings, as pkg/registry/rbac/rolebinding and clusterrolebinding: the roleRef's and
 * User/Group subjects' apiGroup defaulted; roleRef (a Role or ClusterRole; only a ClusterRole for cluster bindings)
 * and subjects validated; the roleRef is immutable ("cannot change roleRef").
 */
public final class RoleBindingStrategy extends RbacStrategy {
  private RoleBindingStrategy(ResourceType type) {
    super(type);
  }

  public static RoleBindingStrategy roleBindings() {
    return new RoleBindingStrategy(ResourceTypes.ROLE_BINDINGS);
  }

  public static RoleBindingStrategy clusterRoleBindings() {
    return new RoleBindingStrategy(ResourceTypes.CLUSTER_ROLE_BINDINGS);
  }

  @Override
  public void applyDefaults(ObjectNode binding) {
    RbacValidation.defaultBinding(binding);
  }

  @Override
  public List<FieldError> validate(ObjectNode binding) {
    return RbacValidation.binding(binding, type().namespaced());
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode binding, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(binding));
    JsonNode roleRef = Json.get(binding, "roleRef");
    if (!roleRef(roleRef).equals(roleRef(Json.get(old, "roleRef")))) {
      errors.add(FieldError.invalid("roleRef", new GoRoleRef(roleRef), "cannot change roleRef"));
    }
    return errors;
  }

  private static List<String> roleRef(JsonNode roleRef) {
    return List.of(Json.text(roleRef, "apiGroup"), Json.text(roleRef, "kind"), Json.text(roleRef, "name"));
  }

  /** The roleRef as Go's %#v prints the internal rbac.RoleRef in a field error. */
  private record GoRoleRef(JsonNode roleRef) {
    @Override
    public String toString() {
      return "rbac.RoleRef{APIGroup:\"" + Json.text(roleRef, "apiGroup") + "\", Kind:\"" + Json.text(roleRef, "kind")
          + "\", Name:\"" + Json.text(roleRef, "name") + "\"}";
    }
  }
}
