package io.minicluster.apiserver.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed set of tokens (like the apiserver's --token-auth-file). Comparison is constant-time: every known token is
 * compared in full with {@link MessageDigest#isEqual}, so timing reveals neither which token nor how much matched.
 */
public final class StaticTokenAuthenticator implements TokenAuthenticator {
  private final Map<String, UserInfo> users;

  public StaticTokenAuthenticator(Map<String, UserInfo> tokens) {
    requireNonNull(tokens, "tokens is null");
    Map<String, UserInfo> copy = new LinkedHashMap<>();
    tokens.forEach((token, user) -> {
      requireNonNull(token, "token is null");
      requireNonNull(user, "user is null");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("empty token");
      }
      copy.put(token, user);
    });
    this.users = Map.copyOf(copy);
  }

  /** One token for one user. */
  public static StaticTokenAuthenticator of(String token, UserInfo user) {
    return new StaticTokenAuthenticator(Map.of(token, user));
  }

  @Override
  public Optional<UserInfo> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = token.getBytes(StandardCharsets.UTF_8);
    UserInfo found = null;
    for (Map.Entry<String, UserInfo> entry : users.entrySet()) {
      if (MessageDigest.isEqual(presented, entry.getKey().getBytes(StandardCharsets.UTF_8)) && found == null) {
        found = entry.getValue();
      }
    }
    return Optional.ofNullable(found);
  }
}
