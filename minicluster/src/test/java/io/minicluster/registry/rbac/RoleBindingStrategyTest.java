package io.minicluster.registry.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class RoleBindingStrategyTest {
  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void defaultsTheApiGroupsOfRoleRefUsersAndGroups() {
    ObjectNode binding = json("{'metadata':{'name':'b','namespace':'default'},'roleRef':{'kind':'Role',"
        + "'name':'r'},'subjects':[{'kind':'User','name':'bob'},{'kind':'Group','name':'devs'},"
        + "{'kind':'ServiceAccount','name':'default'}]}");
    RoleBindingStrategy.roleBindings().applyDefaults(binding);
    assertThat(binding.at("/roleRef/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.at("/subjects/0/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.at("/subjects/1/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.at("/subjects/2").has("apiGroup")).isFalse();
    assertThat(RoleBindingStrategy.roleBindings().validate(binding)).isEmpty();
  }

  @Test
  void validationAsTheApiserver() {
    ObjectNode binding = json("{'metadata':{'name':'b'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io',"
        + "'kind':'Role','name':'r'},'subjects':[{'kind':'ServiceAccount','name':'Bad_Name'},"
        + "{'kind':'Robot','name':'r2'},{'kind':'User','name':'u','apiGroup':'x'}]}");
    assertThat(RoleBindingStrategy.clusterRoleBindings().validate(binding)).extracting(FieldError::message)
        .containsExactly(
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "subjects[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower "
                + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "subjects[0].namespace: Required value",
            "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", "
                + "\"Group\"",
            "subjects[2].apiGroup: Unsupported value: \"x\": supported values: \"rbac.authorization.k8s.io\"");
  }

  @Test
  void theRoleRefCannotChange() {
    ObjectNode old = json("{'metadata':{'name':'b'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io',"
        + "'kind':'ClusterRole','name':'view'}}");
    ObjectNode changed = old.deepCopy();
    ((ObjectNode) changed.get("roleRef")).put("name", "edit");
    assertThat(RoleBindingStrategy.clusterRoleBindings().validateUpdate(changed, old)).extracting(FieldError::message)
        .containsExactly("roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", "
            + "Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef");
  }
}
