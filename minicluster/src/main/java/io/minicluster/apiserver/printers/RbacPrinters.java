package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The binding printers of printers.go (printRoleBinding, printClusterRoleBinding): NAME, ROLE (kind/name), AGE, and
 * with -o wide USERS, GROUPS, SERVICEACCOUNTS (namespace/name). Roles and ClusterRoles print NAME and CREATED AT, as
 * the default convertor does.
 */
final class RbacPrinters {
  private RbacPrinters() {}

  static TablePrinter roleBinding() {
    return binding("roleBinding", "RoleRef can reference a Role in the current namespace or a ClusterRole in the "
        + "global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is "
        + "immutable.");
  }

  static TablePrinter clusterRoleBinding() {
    return binding("clusterRoleBinding", "RoleRef can only reference a ClusterRole in the global namespace. If the "
        + "RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.");
  }

  private static TablePrinter binding(String what, String roleDescription) {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Role", roleDescription),
        Column.creationAge(),
        Column.wide("Users", "Users in the " + what),
        Column.wide("Groups", "Groups in the " + what),
        Column.wide("ServiceAccounts", "ServiceAccounts in the " + what)),
        (object, now) -> {
          List<String> users = new ArrayList<>();
          List<String> groups = new ArrayList<>();
          List<String> serviceAccounts = new ArrayList<>();
          for (JsonNode subject : Json.elements(object, "subjects")) {
            String name = Json.text(subject, "name");
            switch (Json.text(subject, "kind")) {
              case "User" -> users.add(name);
              case "Group" -> groups.add(name);
              case "ServiceAccount" -> serviceAccounts.add(Json.text(subject, "namespace") + "/" + name);
              default -> {
              }
            }
          }
          JsonNode roleRef = object.path("roleRef");
          return List.of(Fields.name(object), Json.text(roleRef, "kind") + "/" + Json.text(roleRef, "name"),
              Fields.age(object, now), String.join(", ", users), String.join(", ", groups),
              String.join(", ", serviceAccounts));
        });
  }
}
