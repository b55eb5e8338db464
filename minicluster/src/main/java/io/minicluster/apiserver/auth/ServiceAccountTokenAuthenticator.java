package io.minicluster.apiserver.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.serviceaccount.ServiceAccountTokens;
import io.minicluster.serviceaccount.TokenClaims;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates service-account tokens as the apiserver's service-account authenticator (pkg/serviceaccount jwt.go,
 * claims.go, legacy.go): a token signed with the daemon's key, from its issuer, meant for the API's audience, within
 * its validity, whose service account still exists with the uid of the token, and whose bound pod or secret still
 * exists with its uid (and is not being deleted for more than a minute). A legacy token is valid while its secret holds
 * exactly this token. The user is {@code system:serviceaccount:<namespace>:<name>} with the account's uid, the groups
 * {@code system:serviceaccounts} and {@code system:serviceaccounts:<namespace>}, and, for bound tokens, the extra
 * values pod-name, pod-uid, node-name, node-uid and credential-id.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  public static final String ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
  static final String EXTRA_PREFIX = "authentication.kubernetes.io/";
  /** How long a bound object may have been marked for deletion before its tokens stop working (as upstream's). */
  private static final Duration DELETION_GRACE = Duration.ofMinutes(1);
  private static final String LEGACY_TOKEN_TYPE = "kubernetes.io/service-account-token";

  /** Reads current objects (the registries in the daemon). */
  public interface Lookup {
    Optional<ObjectNode> find(ResourceType type, String namespace, String name);
  }

  private final ServiceAccountTokens tokens;
  private final Lookup lookup;
  private final Clock clock;

  public ServiceAccountTokenAuthenticator(ServiceAccountTokens tokens, Lookup lookup, Clock clock) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.lookup = requireNonNull(lookup, "lookup is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public Optional<UserInfo> authenticate(String token) {
    Optional<TokenClaims> verified = tokens.verify(token);
    if (verified.isEmpty()) {
      return Optional.empty();
    }
    TokenClaims claims = verified.get();
    Instant now = clock.instant();
    if (!claims.validAt(now) || !claims.intendedFor(tokens.apiAudiences())) {
      return Optional.empty();
    }
    String namespace = claims.namespace();
    Optional<ObjectNode> account = lookup.find(ResourceTypes.SERVICE_ACCOUNTS, namespace,
        claims.serviceAccount().name());
    if (account.isEmpty() || !Meta.uid(account.get()).equals(claims.serviceAccount().uid())) {
      return Optional.empty();
    }
    if (claims.legacy()) {
      if (!legacySecretHolds(namespace, claims, token)) {
        return Optional.empty();
      }
    } else if (!stillBound(ResourceTypes.PODS, namespace, claims.pod(), now)
        || !stillBound(ResourceTypes.SECRETS, namespace, claims.secret(), now)) {
      return Optional.empty();
    }
    Map<String, List<String>> extra = new LinkedHashMap<>();
    if (claims.pod() != null) {
      extra.put(EXTRA_PREFIX + "pod-name", List.of(claims.pod().name()));
      extra.put(EXTRA_PREFIX + "pod-uid", List.of(claims.pod().uid()));
    }
    if (claims.node() != null) {
      extra.put(EXTRA_PREFIX + "node-name", List.of(claims.node().name()));
      extra.put(EXTRA_PREFIX + "node-uid", List.of(claims.node().uid()));
    }
    if (claims.id() != null && !claims.id().isEmpty()) {
      extra.put(EXTRA_PREFIX + "credential-id", List.of("JTI=" + claims.id()));
    }
    return Optional.of(new UserInfo(claims.username(),
        List.of(ALL_SERVICE_ACCOUNTS_GROUP, ALL_SERVICE_ACCOUNTS_GROUP + ":" + namespace),
        claims.serviceAccount().uid(), extra));
  }

  /** Whether the object a token is bound to (none: true) still exists with its uid and is not long deleted. */
  private boolean stillBound(ResourceType type, String namespace, TokenClaims.Ref reference, Instant now) {
    if (reference == null) {
      return true;
    }
    Optional<ObjectNode> object = lookup.find(type, namespace, reference.name());
    if (object.isEmpty() || !Meta.uid(object.get()).equals(reference.uid())) {
      return false;
    }
    String deletion = Json.textOrNull(object.get(), "metadata", "deletionTimestamp");
    return deletion == null || !Meta.parseTime(deletion).isBefore(now.minus(DELETION_GRACE));
  }

  /** Whether the token secret of a legacy token exists, is not being deleted and holds this very token. */
  private boolean legacySecretHolds(String namespace, TokenClaims claims, String token) {
    Optional<ObjectNode> secret = lookup.find(ResourceTypes.SECRETS, namespace, claims.secret().name());
    if (secret.isEmpty() || Meta.deleting(secret.get())
        || !LEGACY_TOKEN_TYPE.equals(Json.text(secret.get(), "type"))) {
      return false;
    }
    String stored = Json.textOrNull(secret.get(), "data", "token");
    if (stored == null) {
      return false;
    }
    try {
      return MessageDigest.isEqual(Base64.getDecoder().decode(stored), token.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
