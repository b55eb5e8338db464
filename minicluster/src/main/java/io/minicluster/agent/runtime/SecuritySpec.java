package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The container's security context, resolved from pod and container {@code securityContext}.
 *
 * @param user Docker user: "uid", "uid:gid", or empty for the image's user (see {@link #userOf(Long, Long)})
 * @param supplementalGroups extra group ids ({@code supplementalGroups}, {@code fsGroup})
 * @param privileged run privileged
 * @param capabilitiesAdded capabilities to add, with or without the "CAP_" prefix
 * @param capabilitiesDropped capabilities to drop ("ALL" allowed)
 * @param readOnlyRootFilesystem mount the root filesystem read-only
 */
public record SecuritySpec(
    String user,
    List<Long> supplementalGroups,
    boolean privileged,
    List<String> capabilitiesAdded,
    List<String> capabilitiesDropped,
    boolean readOnlyRootFilesystem) {
  public static final SecuritySpec DEFAULT = new SecuritySpec("", List.of(), false, List.of(), List.of(), false);

  public SecuritySpec {
    requireNonNull(user, "user is null");
    supplementalGroups = List.copyOf(requireNonNull(supplementalGroups, "supplementalGroups is null"));
    capabilitiesAdded = List.copyOf(requireNonNull(capabilitiesAdded, "capabilitiesAdded is null"));
    capabilitiesDropped = List.copyOf(requireNonNull(capabilitiesDropped, "capabilitiesDropped is null"));
  }

  /** The Docker user for {@code runAsUser}/{@code runAsGroup} (either may be null): "", "1000" or "1000:3000". */
  public static String userOf(Long runAsUser, Long runAsGroup) {
    if (runAsUser == null) {
      return "";
    }
    return runAsGroup == null ? Long.toString(runAsUser) : runAsUser + ":" + runAsGroup;
  }
}
