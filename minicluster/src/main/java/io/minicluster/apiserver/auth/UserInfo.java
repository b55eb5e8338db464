package io.minicluster.apiserver.auth;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * An authenticated (or anonymous) user, as Kubernetes' user.Info: a name and groups.
 *
 * @param name user name, e.g. "minicluster-admin" or "system:serviceaccount:default:builder"
 * @param groups groups, e.g. "system:masters", "system:authenticated"
 */
public record UserInfo(String name, List<String> groups) {
  public static final String AUTHENTICATED_GROUP = "system:authenticated";
  public static final String UNAUTHENTICATED_GROUP = "system:unauthenticated";
  /** The identity of requests to public paths without credentials. */
  public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of(UNAUTHENTICATED_GROUP));

  public UserInfo {
    requireNonNull(name, "name is null");
    groups = List.copyOf(requireNonNull(groups, "groups is null"));
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }

  /** This user with {@value #AUTHENTICATED_GROUP} added when missing (as the apiserver's group adder does). */
  public UserInfo withAuthenticatedGroup() {
    if (groups.contains(AUTHENTICATED_GROUP)) {
      return this;
    }
    ArrayList<String> all = new ArrayList<>(groups);
    all.add(AUTHENTICATED_GROUP);
    return new UserInfo(name, all);
  }
}
