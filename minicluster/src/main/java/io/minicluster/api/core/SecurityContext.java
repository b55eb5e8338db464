package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.SecurityContext of a container, the fields the node agent applies (SELinux, seccomp, AppArmor are left out). */
public record SecurityContext(Capabilities capabilities, Boolean privileged, Long runAsUser, Long runAsGroup,
    Boolean runAsNonRoot, Boolean readOnlyRootFilesystem, Boolean allowPrivilegeEscalation, String procMount) {

  public static SecurityContext from(JsonNode node) {
    return new SecurityContext(JsonValues.optional(node, "capabilities", Capabilities::from),
        JsonValues.optionalBool(node, "privileged"), JsonValues.optionalInt64(node, "runAsUser"),
        JsonValues.optionalInt64(node, "runAsGroup"), JsonValues.optionalBool(node, "runAsNonRoot"),
        JsonValues.optionalBool(node, "readOnlyRootFilesystem"),
        JsonValues.optionalBool(node, "allowPrivilegeEscalation"), JsonValues.optionalString(node, "procMount"));
  }

  public boolean isPrivileged() {
    return Boolean.TRUE.equals(privileged);
  }

  public boolean isReadOnlyRootFilesystem() {
    return Boolean.TRUE.equals(readOnlyRootFilesystem);
  }
}
