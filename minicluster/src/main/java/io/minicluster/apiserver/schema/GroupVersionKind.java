package io.minicluster.apiserver.schema;

import static java.util.Objects.requireNonNull;

/** A group, version and kind; group "" is the core group. */
public record GroupVersionKind(String group, String version, String kind) {
  public GroupVersionKind {
    requireNonNull(group, "group is null");
    requireNonNull(version, "version is null");
    requireNonNull(kind, "kind is null");
  }

  /** Of an apiVersion such as "apps/v1" or "v1". */
  public static GroupVersionKind of(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    return slash < 0
        ? new GroupVersionKind("", apiVersion, kind)
        : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
  }

  /** "v1" for the core group, "apps/v1" otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
