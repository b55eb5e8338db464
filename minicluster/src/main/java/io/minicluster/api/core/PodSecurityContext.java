package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Interner;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.PodSecurityContext, the fields the node agent applies (SELinux, seccomp, AppArmor are left out). */
public record PodSecurityContext(Long runAsUser, Long runAsGroup, Boolean runAsNonRoot, List<Long> supplementalGroups,
    Long fsGroup, List<Sysctl> sysctls) {

  public PodSecurityContext {
    supplementalGroups = List.copyOf(supplementalGroups);
    sysctls = List.copyOf(sysctls);
  }

  public static PodSecurityContext from(JsonNode node) {
    return Interner.intern(new PodSecurityContext(JsonValues.optionalInt64(node, "runAsUser"),
        JsonValues.optionalInt64(node, "runAsGroup"), JsonValues.optionalBool(node, "runAsNonRoot"),
        JsonValues.longs(node, "supplementalGroups"), JsonValues.optionalInt64(node, "fsGroup"),
        JsonValues.list(node, "sysctls", Sysctl::from)));
  }
}
