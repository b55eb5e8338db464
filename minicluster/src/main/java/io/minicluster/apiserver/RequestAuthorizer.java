package io.minicluster.apiserver;

import io.minicluster.api.ApiException;
import io.minicluster.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;

/** Authorizes an authenticated request (after impersonation); returns the user it acts as. */
public interface RequestAuthorizer {
  /** Lets every authenticated user do everything as itself (the apiserver's AlwaysAllow mode). */
  RequestAuthorizer ALWAYS_ALLOW = (method, uri, headers, user) -> user;

  /**
   * @throws ApiException the 403 (or other error) to answer instead
   */
  UserInfo authorize(String method, String uri, HttpHeaders headers, UserInfo user);
}
