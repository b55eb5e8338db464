package io.minicluster.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.minicluster.serviceaccount.TokenClaims.Ref;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {
  private static final String ISSUER = ServiceAccountTokens.DEFAULT_ISSUER;
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private static KeyPair newKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static TokenClaims podToken(long seconds) {
    return TokenClaims.bound("team", new Ref("default", "sa-uid"), new Ref("web", "pod-uid"), null,
        new Ref("node1", "node-uid"), List.of(ISSUER), NOW, seconds);
  }

  @Test
  void aSignedTokenVerifiesToItsClaims() throws Exception {
    ServiceAccountTokens tokens = new ServiceAccountTokens(newKeys(), ISSUER);
    TokenClaims claims = podToken(3600);

    TokenClaims verified = tokens.verify(tokens.sign(claims)).orElseThrow();

    assertThat(verified).isEqualTo(claims);
    assertThat(verified.username()).isEqualTo("system:serviceaccount:team:default");
    assertThat(verified.expiry()).isEqualTo(NOW.plusSeconds(3600));
  }

  @Test
  void theTokenCarriesTheUpstreamClaims() throws Exception {
    ServiceAccountTokens tokens = new ServiceAccountTokens(newKeys(), ISSUER);
    String[] parts = tokens.sign(podToken(3600)).split("\\.");

    ObjectNode header = Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    ObjectNode payload = Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[1]),
        StandardCharsets.UTF_8));

    assertThat(header.get("alg").asText()).isEqualTo("ES256");
    assertThat(header.get("kid").asText()).isEqualTo(tokens.keyId());
    assertThat(payload.get("iss").asText()).isEqualTo(ISSUER);
    assertThat(payload.get("sub").asText()).isEqualTo("system:serviceaccount:team:default");
    assertThat(payload.get("aud").get(0).asText()).isEqualTo(ISSUER);
    assertThat(payload.get("exp").asLong() - payload.get("iat").asLong()).isEqualTo(3600);
    assertThat(payload.at("/kubernetes.io/namespace").asText()).isEqualTo("team");
    assertThat(payload.at("/kubernetes.io/serviceaccount/uid").asText()).isEqualTo("sa-uid");
    assertThat(payload.at("/kubernetes.io/pod/name").asText()).isEqualTo("web");
    assertThat(payload.at("/kubernetes.io/node/name").asText()).isEqualTo("node1");
  }

  @Test
  void anotherKeyOrATamperedTokenDoesNotVerify() throws Exception {
    ServiceAccountTokens tokens = new ServiceAccountTokens(newKeys(), ISSUER);
    ServiceAccountTokens other = new ServiceAccountTokens(newKeys(), ISSUER);
    String token = other.sign(podToken(3600));
    String[] parts = tokens.sign(podToken(3600)).split("\\.");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        Json.bytes(Json.parseObject("{\"iss\":\"" + ISSUER + "\"}"))) + "." + parts[2];

    assertThat(tokens.verify(token)).isEmpty();
    assertThat(tokens.verify(tampered)).isEmpty();
    assertThat(tokens.verify("not.a.token")).isEmpty();
    assertThat(tokens.verify("")).isEmpty();
  }

  @Test
  void anotherIssuersTokenDoesNotVerify() throws Exception {
    KeyPair keys = newKeys();
    ServiceAccountTokens elsewhere = new ServiceAccountTokens(keys, "https://elsewhere.example");

    assertThat(new ServiceAccountTokens(keys, ISSUER).verify(elsewhere.sign(podToken(3600)))).isEmpty();
  }

  @Test
  void validityHasAMinuteOfLeewayAndAudienceMustMatch() {
    TokenClaims claims = podToken(600);

    assertThat(claims.validAt(NOW.plusSeconds(600))).isTrue();
    assertThat(claims.validAt(NOW.plusSeconds(660))).isTrue();
    assertThat(claims.validAt(NOW.plusSeconds(661))).isFalse();
    assertThat(claims.validAt(NOW.minusSeconds(61))).isFalse();
    assertThat(claims.intendedFor(List.of(ISSUER))).isTrue();
    assertThat(claims.intendedFor(List.of("vault"))).isFalse();
  }

  @Test
  void legacyTokensVerifyWithoutExpiryOrAudience() throws Exception {
    ServiceAccountTokens tokens = new ServiceAccountTokens(newKeys(), ISSUER);
    TokenClaims legacy = TokenClaims.legacy("team", new Ref("builder", "sa-uid"), "builder-token");

    TokenClaims verified = tokens.verify(tokens.sign(legacy)).orElseThrow();

    assertThat(verified.legacy()).isTrue();
    assertThat(verified.secret().name()).isEqualTo("builder-token");
    assertThat(verified.validAt(NOW.plusSeconds(100L * 365 * 86400))).isTrue();
    assertThat(verified.intendedFor(List.of(ISSUER))).isTrue();
  }

  @Test
  void theKeySetPublishesTheVerifyingKey() throws Exception {
    ServiceAccountTokens tokens = new ServiceAccountTokens(newKeys(), ISSUER);

    ObjectNode jwks = tokens.jwks();
    ObjectNode configuration = tokens.openIdConfiguration();

    assertThat(jwks.at("/keys/0/kid").asText()).isEqualTo(tokens.keyId());
    assertThat(Base64.getUrlDecoder().decode(jwks.at("/keys/0/x").asText())).hasSize(32);
    assertThat(Base64.getUrlDecoder().decode(jwks.at("/keys/0/y").asText())).hasSize(32);
    assertThat(configuration.get("jwks_uri").asText()).isEqualTo(ISSUER + "/openid/v1/jwks");
  }
}
