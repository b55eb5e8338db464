package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import io.minicluster.apiserver.auth.UserInfo;

/**
 * What a request asks to do, as the apiserver's authorizer.Attributes: who, the verb, and either a resource (API
 * group, version, resource, subresource, namespace, name) or a non-resource path.
 *
 * @param verb for resource requests get, list, watch, create, update, patch, delete, deletecollection (or a special
 *     verb: impersonate, bind, escalate, proxy); for other paths the lowercase HTTP method
 * @param namespace "" at the cluster scope
 */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
    String resource, String subresource, String namespace, String name, String path) {

  public Attributes {
    requireNonNull(user, "user is null");
    requireNonNull(verb, "verb is null");
    apiGroup = orEmpty(apiGroup);
    apiVersion = orEmpty(apiVersion);
    resource = orEmpty(resource);
    subresource = orEmpty(subresource);
    namespace = orEmpty(namespace);
    name = orEmpty(name);
    path = orEmpty(path);
  }

  /** A resource request. */
  public static Attributes resource(UserInfo user, String verb, String apiGroup, String resource, String subresource,
      String namespace, String name) {
    return new Attributes(user, verb, true, apiGroup, "", resource, subresource, namespace, name, "");
  }

  /** A request for a path outside the resource tree (/healthz, /version, /api, /apis/apps...). */
  public static Attributes nonResource(UserInfo user, String verb, String path) {
    return new Attributes(user, verb, false, "", "", "", "", "", "", path);
  }

  /** These attributes for another user. */
  public Attributes withUser(UserInfo other) {
    return new Attributes(other, verb, resourceRequest, apiGroup, apiVersion, resource, subresource, namespace, name,
        path);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
