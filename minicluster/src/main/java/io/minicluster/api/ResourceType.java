package io.minicluster.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * One served resource: what discovery advertises and what the generic registry stores.
 *
 * @param group API group, "" for the core group
 * @param version API version, e.g. "v1"
 * @param kind object kind, e.g. "Pod"
 * @param plural resource name in URLs, e.g. "pods"
 * @param singular singular name, e.g. "pod"
 * @param namespaced whether objects live in a namespace
 * @param shortNames short names for kubectl, e.g. "po"
 * @param categories categories, e.g. "all"
 * @param subresources served subresources (status, scale, binding, log, exec, ...)
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<Subresource> subresources) {

  private static final Set<String> CREATE_ONLY_KINDS = Set.of("Binding", "SelfSubjectReview",
      "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview", "LocalSubjectAccessReview");
  /** The kinds of metrics.k8s.io, served read-only from the daemon's samples and never stored. */
  private static final Set<String> READ_ONLY_KINDS = Set.of("NodeMetrics", "PodMetrics");
  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public ResourceType {
    requireNonNull(group, "group is null");
    requireNonNull(version, "version is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(plural, "plural is null");
    requireNonNull(singular, "singular is null");
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  /**
   * The hash of the resource's identity (group, version, plural): types are map keys on every request, and the
   * record's default hash walks every list of every subresource. Consistent with the record's equals.
   */
  @Override
  public int hashCode() {
    return 31 * (31 * group.hashCode() + version.hashCode()) + plural.hashCode();
  }

  /** "v1" for the core group, "apps/v1" otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "pods" or "deployments.apps". */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public List<String> verbs() {
    if (READ_ONLY_KINDS.contains(kind)) {
      return List.of("get", "list");
    }
    return stored() ? ALL_VERBS : List.of("create");
  }

  /**
   * False for the create-only kinds that are answered and never stored: Binding, and the self reviews of
   * authentication and authorization (SelfSubjectReview, SelfSubjectAccessReview, SelfSubjectRulesReview,
   * SubjectAccessReview, LocalSubjectAccessReview); and the
   * read-only metrics.k8s.io kinds (NodeMetrics, PodMetrics).
   */
  public boolean stored() {
    return !CREATE_ONLY_KINDS.contains(kind) && !READ_ONLY_KINDS.contains(kind);
  }

  public boolean hasSubresource(String name) {
    return subresources.stream().anyMatch(s -> s.name().equals(name));
  }

  public boolean hasStatus() {
    return hasSubresource("status");
  }

  /** Store key prefix for all objects of this type. */
  public String keyPrefix() {
    return "/registry/" + (group.isEmpty() ? "core" : group) + "/" + plural + "/";
  }

  /** Store key of one object; namespace is ignored for cluster-scoped types. */
  public String key(String namespace, String name) {
    return namespaced ? keyPrefix() + namespace + "/" + name : keyPrefix() + name;
  }

  /** Store key prefix of one namespace ("" or null namespace = all). */
  public String namespacePrefix(String namespace) {
    return namespaced && namespace != null && !namespace.isEmpty() ? keyPrefix() + namespace + "/" : keyPrefix();
  }

  /**
   * A subresource of a resource.
   *
   * @param name e.g. "status", "scale", "log"
   * @param group group of the kind it accepts and returns
   * @param version version of that kind
   * @param kind kind, e.g. "Scale"; empty for streaming subresources
   * @param verbs verbs, e.g. get, patch, update
   */
  public record Subresource(String name, String group, String version, String kind, List<String> verbs) {
    public Subresource {
      requireNonNull(name, "name is null");
      verbs = List.copyOf(verbs);
    }
  }
}
