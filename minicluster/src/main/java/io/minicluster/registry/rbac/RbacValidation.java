package io.minicluster.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.validation.Formats;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The checks pkg/apis/rbac/validation makes: policy rules (verbs are not checked against a list, as upstream), role
 * references and subjects, with the apiserver's messages and field paths.
 */
final class RbacValidation {
  static final String GROUP = "rbac.authorization.k8s.io";

  private RbacValidation() {}

  /** validatePolicyRule of every rule in {@code rules}. */
  static List<FieldError> rules(ObjectNode role, boolean namespaced) {
    return each(role, "rules", (rule, path) -> rule(rule, namespaced, path));
  }

  private static List<FieldError> rule(ObjectNode rule, boolean namespaced, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (Json.strings(rule, "verbs").isEmpty()) {
      errors.add(FieldError.required(path + ".verbs", "verbs must contain at least one value"));
    }
    List<String> urls = Json.strings(rule, "nonResourceURLs");
    List<String> groups = Json.strings(rule, "apiGroups");
    List<String> resources = Json.strings(rule, "resources");
    List<String> names = Json.strings(rule, "resourceNames");
    if (!urls.isEmpty()) {
      if (namespaced) {
        errors.add(FieldError.invalid(path + ".nonResourceURLs", new GoStrings(urls),
            "namespaced rules cannot apply to non-resource URLs"));
      }
      if (!groups.isEmpty() || !resources.isEmpty() || !names.isEmpty()) {
        errors.add(FieldError.invalid(path + ".nonResourceURLs", new GoStrings(urls),
            "rules cannot apply to both regular resources and non-resource URLs"));
      }
      return errors;
    }
    if (groups.isEmpty()) {
      errors.add(FieldError.required(path + ".apiGroups", "resource rules must supply at least one api group"));
    }
    if (resources.isEmpty()) {
      errors.add(FieldError.required(path + ".resources", "resource rules must supply at least one resource"));
    }
    if (!names.isEmpty() && resources.size() > 1) {
      errors.add(FieldError.required(path + ".resourceNames", "resource names cannot apply to multiple resources"));
    }
    return errors;
  }

  /** The roleRef and subjects checks of ValidateRoleBinding / ValidateClusterRoleBinding. */
  static List<FieldError> binding(ObjectNode binding, boolean namespaced) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode roleRef = Json.get(binding, "roleRef");
    String apiGroup = Json.text(roleRef, "apiGroup");
    if (!apiGroup.equals(GROUP)) {
      errors.add(FieldError.notSupported("roleRef.apiGroup", apiGroup, List.of(GROUP)));
    }
    String kind = Json.text(roleRef, "kind");
    List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
    if (!kinds.contains(kind)) {
      errors.add(FieldError.notSupported("roleRef.kind", kind, kinds));
    }
    String name = Json.text(roleRef, "name");
    if (name.isEmpty()) {
      errors.add(FieldError.required("roleRef.name", ""));
    } else {
      NameValidator.PATH_SEGMENT.validate(name, false)
          .forEach(message -> errors.add(FieldError.invalid("roleRef.name", name, message)));
    }
    errors.addAll(each(binding, "subjects", (subject, path) -> subject(subject, namespaced, path)));
    return errors;
  }

  /** The errors of each element of the list {@code field}, each checked at its path ("field[i]"). */
  private static List<FieldError> each(ObjectNode object, String field,
      BiFunction<ObjectNode, String, List<FieldError>> check) {
    List<FieldError> errors = new ArrayList<>();
    List<ObjectNode> elements = Json.objects(object, field);
    for (int i = 0; i < elements.size(); i++) {
      errors.addAll(check.apply(elements.get(i), field + "[" + i + "]"));
    }
    return errors;
  }

  private static List<FieldError> subject(ObjectNode subject, boolean namespaced, String path) {
    List<FieldError> errors = new ArrayList<>();
    String name = Json.text(subject, "name");
    if (name.isEmpty()) {
      errors.add(FieldError.required(path + ".name", ""));
    }
    String kind = Json.text(subject, "kind");
    String apiGroup = Json.text(subject, "apiGroup");
    switch (kind) {
      case "ServiceAccount" -> {
        if (!name.isEmpty()) {
          Formats.dns1123Subdomain(name).forEach(message -> errors.add(FieldError.invalid(path + ".name", name,
              message)));
        }
        if (!apiGroup.isEmpty()) {
          errors.add(FieldError.notSupported(path + ".apiGroup", apiGroup, List.of("")));
        }
        if (!namespaced && Json.text(subject, "namespace").isEmpty()) {
          errors.add(FieldError.required(path + ".namespace", ""));
        }
      }
      case "User", "Group" -> {
        if (name.isEmpty()) {
          errors.add(FieldError.invalid(path + ".name", name,
              kind.equals("User") ? "user name cannot be empty" : "group name cannot be empty"));
        }
        if (!apiGroup.equals(GROUP)) {
          errors.add(FieldError.notSupported(path + ".apiGroup", apiGroup, List.of(GROUP)));
        }
      }
      default -> errors.add(FieldError.notSupported(path + ".kind", kind, List.of("ServiceAccount", "User", "Group")));
    }
    return errors;
  }

  /** SetDefaults_Subject and the roleRef's apiGroup (SetDefaults_RoleBinding / ClusterRoleBinding). */
  static void defaultBinding(ObjectNode binding) {
    if (Json.get(binding, "roleRef") instanceof ObjectNode roleRef) {
      Json.defaultText(roleRef, "apiGroup", GROUP);
    }
    for (ObjectNode subject : Json.objects(binding, "subjects")) {
      String kind = Json.text(subject, "kind");
      if (Json.text(subject, "apiGroup").isEmpty() && (kind.equals("User") || kind.equals("Group"))) {
        subject.put("apiGroup", GROUP);
      }
    }
  }

  /** A []string as Go's %#v prints it in a field error: {@code []string{"/a", "/b"}}. */
  private record GoStrings(List<String> values) {
    @Override
    public String toString() {
      return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
          .collect(Collectors.joining(", ", "[]string{", "}"));
    }
  }
}
