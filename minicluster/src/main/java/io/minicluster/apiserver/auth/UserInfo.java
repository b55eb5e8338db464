package io.minicluster.apiserver.auth;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An authenticated (or anonymous) user, as Kubernetes' user.Info: a name, a uid, groups and extra values.
 *
 * @param name user name, e.g. "minicluster-admin" or "system:serviceaccount:default:builder"
 * @param groups groups, e.g. "system:masters", "system:authenticated"
 * @param uid the user's uid ("" when the authenticator knows none; a service account's uid)
 * @param extra further values of the authenticator, e.g. "authentication.kubernetes.io/pod-name"
 */
public record UserInfo(String name, List<String> groups, String uid, Map<String, List<String>> extra) {
  public static final String AUTHENTICATED_GROUP = "system:authenticated";
  public static final String UNAUTHENTICATED_GROUP = "system:unauthenticated";
  /** The identity of requests to public paths without credentials. */
  public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of(UNAUTHENTICATED_GROUP));

  public UserInfo {
    requireNonNull(name, "name is null");
    groups = List.copyOf(requireNonNull(groups, "groups is null"));
    requireNonNull(uid, "uid is null");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    requireNonNull(extra, "extra is null").forEach((key, values) -> copy.put(key, List.copyOf(values)));
    extra = Collections.unmodifiableMap(new TreeMap<>(copy));
  }

  /** A user with a name and groups only. */
  public UserInfo(String name, List<String> groups) {
    this(name, groups, "", Map.of());
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
    return new UserInfo(name, all, uid, extra);
  }
}
