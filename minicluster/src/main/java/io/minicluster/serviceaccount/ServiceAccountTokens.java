package io.minicluster.serviceaccount;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's service-account token issuer and verifier (pkg/serviceaccount jwt.go): signs {@link TokenClaims} with
 * the service-account key (ES256, key id as the apiserver derives it: the unpadded base64url SHA-256 of the
 * public key's PKIX encoding) and verifies tokens signed by it, from this issuer or the legacy one. What the tokens
 * claim (expiry, audience, the objects still existing) is checked by their users: {@link TokenClaims#validAt},
 * {@link TokenClaims#intendedFor} and the authenticator.
 */
public final class ServiceAccountTokens {
  /** The issuer kubeadm and k3s configure by default, also the API's audience. */
  public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
  /** The issuer of token secrets' tokens. */
  public static final String LEGACY_ISSUER = "kubernetes/serviceaccount";
  public static final String USERNAME_PREFIX = "system:serviceaccount:";

  private final KeyPair keys;
  private final String issuer;
  private final String keyId;

  public ServiceAccountTokens(KeyPair keys, String issuer) {
    this.keys = requireNonNull(keys, "keys is null");
    this.issuer = requireNonNull(issuer, "issuer is null");
    if (!(keys.getPublic() instanceof ECPublicKey)) {
      throw new IllegalArgumentException("the service-account key must be an EC P-256 key");
    }
    try {
      this.keyId = Jwt.encode(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  public String issuer() {
    return issuer;
  }

  /** The audiences the API server accepts and TokenRequests get by default: the issuer. */
  public List<String> apiAudiences() {
    return List.of(issuer);
  }

  public String sign(TokenClaims claims) {
    return Jwt.sign(claims.toJson(issuer), keyId, keys.getPrivate());
  }

  /** The claims of a token signed with this key by this (or the legacy) issuer; empty for any other string. */
  public Optional<TokenClaims> verify(String token) {
    return Jwt.verify(token, keyId, keys.getPublic()).flatMap(claims -> TokenClaims.fromJson(claims, issuer));
  }

  /** The OpenID provider configuration served at {@code /.well-known/openid-configuration}. */
  public ObjectNode openIdConfiguration() {
    ObjectNode configuration = Json.object();
    configuration.put("issuer", issuer);
    configuration.put("jwks_uri", issuer + "/openid/v1/jwks");
    configuration.putArray("response_types_supported").add("id_token");
    configuration.putArray("subject_types_supported").add("public");
    configuration.putArray("id_token_signing_alg_values_supported").add(Jwt.ALGORITHM);
    return configuration;
  }

  /** The JSON Web Key Set served at {@code /openid/v1/jwks} (RFC 7517): the public key. */
  public ObjectNode jwks() {
    ECPublicKey key = (ECPublicKey) keys.getPublic();
    ObjectNode jwk = Json.object();
    jwk.put("use", "sig");
    jwk.put("kty", "EC");
    jwk.put("kid", keyId);
    jwk.put("crv", "P-256");
    jwk.put("alg", Jwt.ALGORITHM);
    jwk.put("x", Jwt.encode(coordinate(key.getW().getAffineX())));
    jwk.put("y", Jwt.encode(coordinate(key.getW().getAffineY())));
    ObjectNode set = Json.object();
    set.putArray("keys").add(jwk);
    return set;
  }

  /** A P-256 coordinate as RFC 7518 wants it: exactly 32 big-endian bytes. */
  private static byte[] coordinate(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length == 32) {
      return bytes;
    }
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return fixed;
  }

  /** The key id of tokens signed here (the {@code kid} header). */
  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "ServiceAccountTokens[" + issuer + ", kid " + keyId + "]";
  }
}
