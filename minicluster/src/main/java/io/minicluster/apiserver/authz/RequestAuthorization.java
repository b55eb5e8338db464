package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * What the apiserver's handler chain does after authentication: impersonation, then authorization of the request's
 * attributes; a denial is the apiserver's 403.
 */
public final class RequestAuthorization {
  private final RbacAuthorizer authorizer;
  private final Impersonation impersonation;

  public RequestAuthorization(RbacAuthorizer authorizer) {
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
    this.impersonation = new Impersonation(authorizer);
  }

  /**
   * The user the request acts as, when it may do what it asks.
   *
   * @throws ApiException 403 when it may not (or may not impersonate whom it names)
   */
  public UserInfo authorize(String method, String uri, HttpHeaders headers, UserInfo user) {
    UserInfo acting = impersonation.actingAs(requireNonNull(user, "user is null"), headers);
    if (acting.inGroup(RbacAuthorizer.MASTERS)) {
      // the privileged-group authorizer allows whatever the request is: no attributes needed
      return acting;
    }
    QueryStringDecoder decoder = new QueryStringDecoder(uri);
    Attributes attributes = RequestInfo.of(acting, method, decoder.path(), decoder.parameters());
    RbacAuthorizer.Decision decision = authorizer.authorize(attributes);
    if (!decision.allowed()) {
      throw Forbidden.of(attributes, decision.reason());
    }
    return acting;
  }
}
