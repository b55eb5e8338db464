package io.minicluster.apiserver.auth;

import java.util.Optional;

/** Resolves a bearer token to a user; implementations: static tokens now, service account tokens later. */
public interface TokenAuthenticator {
  /** The user of this token, or empty when this authenticator does not know it. Must not throw for bad input. */
  Optional<UserInfo> authenticate(String token);
}
