package io.minicluster.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * Roles and ClusterRoles, as pkg/registry/rbac/role and clusterrole: names are path segments (ValidateRBACName);
 * every rule has verbs and either resources with API groups or non-resource URLs (cluster roles only); a cluster
 * role's aggregationRule needs at least one valid label selector.
 */
public final class RoleStrategy extends RbacStrategy {
  private RoleStrategy(ResourceType type) {
    super(type);
  }

  public static RoleStrategy roles() {
    return new RoleStrategy(ResourceTypes.ROLES);
  }

  public static RoleStrategy clusterRoles() {
    return new RoleStrategy(ResourceTypes.CLUSTER_ROLES);
  }

  @Override
  public List<FieldError> validate(ObjectNode role) {
    List<FieldError> errors = new ArrayList<>(RbacValidation.rules(role, type().namespaced()));
    JsonNode aggregation = Json.get(role, "aggregationRule");
    if (!type().namespaced() && aggregation != null && !aggregation.isNull()) {
      List<ObjectNode> selectors = Json.objects(aggregation, "clusterRoleSelectors");
      if (selectors.isEmpty()) {
        errors.add(FieldError.required("aggregationRule.clusterRoleSelectors",
            "at least one clusterRoleSelector required if aggregationRule is non-nil"));
      }
      for (int i = 0; i < selectors.size(); i++) {
        errors.addAll(ObjectMetaValidation.validateLabelSelector(selectors.get(i),
            "aggregationRule.clusterRoleSelectors[" + i + "]"));
      }
    }
    return errors;
  }
}
