package io.minicluster.serviceaccount;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a service-account token says (pkg/serviceaccount claims.go and legacy.go). A bound token (TokenRequest) has an
 * audience, issue, not-before and expiry times, an id and the private claim {@code kubernetes.io} naming the
 * namespace, the service account and the object it is bound to (pod, with its node, or secret). A legacy token (token
 * secret) has the issuer {@value ServiceAccountTokens#LEGACY_ISSUER}, the {@code kubernetes.io/serviceaccount/...}
 * claims, no audience and no expiry.
 *
 * @param pod the bound pod, or null
 * @param secret the bound (or, for a legacy token, holding) secret, or null (a legacy secret has no uid claim: "")
 * @param node the node of the bound pod, or null
 * @param audiences empty for a legacy token
 * @param issuedAt null for a legacy token, as are notBefore, expiry and id
 */
public record TokenClaims(String namespace, Ref serviceAccount, Ref pod, Ref secret, Ref node, List<String> audiences,
    Instant issuedAt, Instant notBefore, Instant expiry, String id, boolean legacy) {
  /** The clock skew tolerated on the token's times (go-jose's default leeway, which the apiserver uses). */
  public static final Duration LEEWAY = Duration.ofMinutes(1);
  private static final String PRIVATE_CLAIM = "kubernetes.io";
  private static final String LEGACY_PREFIX = "kubernetes.io/serviceaccount/";

  /** An object a token names. */
  public record Ref(String name, String uid) {
    public Ref {
      requireNonNull(name, "name is null");
      requireNonNull(uid, "uid is null");
    }
  }

  public TokenClaims {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(serviceAccount, "serviceAccount is null");
    audiences = List.copyOf(requireNonNull(audiences, "audiences is null"));
  }

  /** The claims of a new bound token, valid from {@code now} for {@code expirationSeconds}, with a fresh id. */
  public static TokenClaims bound(String namespace, Ref serviceAccount, Ref pod, Ref secret, Ref node,
      List<String> audiences, Instant now, long expirationSeconds) {
    Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
    return new TokenClaims(namespace, serviceAccount, pod, secret, node, audiences, issued, issued,
        issued.plusSeconds(expirationSeconds), UUID.randomUUID().toString(), false);
  }

  /** The claims of a legacy token kept in the secret {@code secretName}. */
  public static TokenClaims legacy(String namespace, Ref serviceAccount, String secretName) {
    return new TokenClaims(namespace, serviceAccount, null, new Ref(secretName, ""), null, List.of(), null, null,
        null, null, true);
  }

  /** {@code system:serviceaccount:<namespace>:<name>}. */
  public String username() {
    return ServiceAccountTokens.USERNAME_PREFIX + namespace + ":" + serviceAccount.name();
  }

  /** Whether {@code now} is within the token's validity (with {@link #LEEWAY}); a legacy token never expires. */
  public boolean validAt(Instant now) {
    if (legacy) {
      return true;
    }
    return !now.isAfter(expiry.plus(LEEWAY)) && !now.isBefore(notBefore.minus(LEEWAY))
        && !now.isBefore(issuedAt.minus(LEEWAY));
  }

  /** Whether the token is meant for one of {@code accepted} (a legacy token is meant for the API server). */
  public boolean intendedFor(List<String> accepted) {
    return legacy || audiences.stream().anyMatch(accepted::contains);
  }

  ObjectNode toJson(String issuer) {
    ObjectNode claims = Json.object();
    if (legacy) {
      claims.put("iss", ServiceAccountTokens.LEGACY_ISSUER);
      claims.put(LEGACY_PREFIX + "namespace", namespace);
      claims.put(LEGACY_PREFIX + "secret.name", secret.name());
      claims.put(LEGACY_PREFIX + "service-account.name", serviceAccount.name());
      claims.put(LEGACY_PREFIX + "service-account.uid", serviceAccount.uid());
      claims.put("sub", username());
      return claims;
    }
    audiences.forEach(claims.putArray("aud")::add);
    claims.put("exp", expiry.getEpochSecond());
    claims.put("iat", issuedAt.getEpochSecond());
    claims.put("iss", issuer);
    claims.put("jti", id);
    ObjectNode kubernetes = claims.putObject(PRIVATE_CLAIM);
    kubernetes.put("namespace", namespace);
    putRef(kubernetes, "node", node);
    putRef(kubernetes, "pod", pod);
    putRef(kubernetes, "secret", secret);
    putRef(kubernetes, "serviceaccount", serviceAccount);
    claims.put("nbf", notBefore.getEpochSecond());
    claims.put("sub", username());
    return claims;
  }

  private static void putRef(ObjectNode parent, String field, Ref ref) {
    if (ref != null) {
      ObjectNode object = parent.putObject(field);
      object.put("name", ref.name());
      object.put("uid", ref.uid());
    }
  }

  /** The claims of a verified token from {@code issuer} (or the legacy issuer); empty when they are incomplete. */
  static Optional<TokenClaims> fromJson(ObjectNode claims, String issuer) {
    String iss = Json.text(claims, "iss");
    if (iss.equals(ServiceAccountTokens.LEGACY_ISSUER)) {
      String namespace = Json.text(claims, LEGACY_PREFIX + "namespace");
      String name = Json.text(claims, LEGACY_PREFIX + "service-account.name");
      String uid = Json.text(claims, LEGACY_PREFIX + "service-account.uid");
      String secret = Json.text(claims, LEGACY_PREFIX + "secret.name");
      if (namespace.isEmpty() || name.isEmpty() || uid.isEmpty() || secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(legacy(namespace, new Ref(name, uid), secret));
    }
    if (!iss.equals(issuer)) {
      return Optional.empty();
    }
    JsonNode kubernetes = Json.object(claims, PRIVATE_CLAIM);
    Ref serviceAccount = ref(kubernetes, "serviceaccount");
    String namespace = Json.text(kubernetes, "namespace");
    JsonNode aud = claims.get("aud");
    List<String> audiences = aud == null ? List.of() : aud.isTextual() ? List.of(aud.asText())
        : Json.elements(claims, "aud").stream().map(JsonNode::asText).toList();
    if (kubernetes == null || serviceAccount == null || namespace.isEmpty() || !claims.path("exp").isNumber()) {
      return Optional.empty();
    }
    Instant expiry = Instant.ofEpochSecond(claims.get("exp").asLong());
    Instant issuedAt = claims.path("iat").isNumber() ? Instant.ofEpochSecond(claims.get("iat").asLong()) : expiry;
    Instant notBefore = claims.path("nbf").isNumber() ? Instant.ofEpochSecond(claims.get("nbf").asLong())
        : issuedAt;
    return Optional.of(new TokenClaims(namespace, serviceAccount, ref(kubernetes, "pod"), ref(kubernetes, "secret"),
        ref(kubernetes, "node"), audiences, issuedAt, notBefore, expiry,
        Json.text(claims, "jti"), false));
  }

  private static Ref ref(JsonNode parent, String field) {
    ObjectNode object = Json.object(parent, field);
    if (object == null || Json.text(object, "name").isEmpty()) {
      return null;
    }
    return new Ref(Json.text(object, "name"), Json.text(object, "uid"));
  }
}
