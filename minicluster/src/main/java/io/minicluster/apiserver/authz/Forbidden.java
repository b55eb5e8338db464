package io.minicluster.apiserver.authz;

import io.minicluster.api.ApiException;

/** The apiserver's 403 for a denied request (responsewriters.Forbidden): message and details as upstream's. */
public final class Forbidden {
  private Forbidden() {}

  /** forbiddenMessage: who cannot do what, where. */
  public static String message(Attributes request) {
    String user = request.user().name();
    if (!request.resourceRequest()) {
      return "User \"" + user + "\" cannot " + request.verb() + " path \"" + request.path() + "\"";
    }
    String resource = request.subresource().isEmpty() ? request.resource()
        : request.resource() + "/" + request.subresource();
    String where = request.namespace().isEmpty() ? " at the cluster scope"
        : " in the namespace \"" + request.namespace() + "\"";
    return "User \"" + user + "\" cannot " + request.verb() + " resource \"" + resource + "\" in API group \""
        + request.apiGroup() + "\"" + where;
  }

  /** The error for a denial with the authorizer's reason ("" for none): NewForbidden of the group and resource. */
  public static ApiException of(Attributes request, String reason) {
    String detail = message(request) + (reason.isEmpty() ? "" : ": " + reason);
    String groupResource = request.apiGroup().isEmpty() ? request.resource()
        : request.resource() + "." + request.apiGroup();
    if (groupResource.isEmpty()) {
      return new ApiException(403, "Forbidden", "forbidden: " + detail, "", "", "", null);
    }
    String name = request.name();
    String what = name.isEmpty() ? groupResource : groupResource + " \"" + name + "\"";
    return new ApiException(403, "Forbidden", what + " is forbidden: " + detail, name.isEmpty() ? null : name,
        request.apiGroup(), request.resource(), null);
  }
}
