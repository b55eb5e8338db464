package io.minicluster.serviceaccount;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * Compact JWS (RFC 7515) signed with ES256 (ECDSA P-256 and SHA-256, RFC 7518 3.4): the JDK signs and verifies it
 * ({@code SHA256withECDSAinP1363Format} gives the JWS form R || S directly), so no JWT library is needed.
 */
final class Jwt {
  static final String ALGORITHM = "ES256";
  private static final String JDK_ALGORITHM = "SHA256withECDSAinP1363Format";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Jwt() {}

  static String sign(ObjectNode claims, String keyId, PrivateKey key) {
    requireNonNull(claims, "claims is null");
    requireNonNull(key, "key is null");
    ObjectNode header = Json.object();
    header.put("alg", ALGORITHM);
    header.put("kid", requireNonNull(keyId, "keyId is null"));
    String signingInput = encode(Json.bytes(header)) + "." + encode(Json.bytes(claims));
    try {
      Signature signer = Signature.getInstance(JDK_ALGORITHM);
      signer.initSign(key);
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + encode(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
    }
  }

  /**
   * The claims of a token whose ES256 signature {@code key} verifies (and whose {@code kid}, when present, is
   * {@code keyId}); empty for anything else, never an exception.
   */
  static Optional<ObjectNode> verify(String token, String keyId, PublicKey key) {
    if (token == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode header = Json.parse(DECODER.decode(parts[0]));
      if (!ALGORITHM.equals(Json.text(header, "alg"))
          || header.has("kid") && !keyId.equals(Json.text(header, "kid"))) {
        return Optional.empty();
      }
      Signature verifier = Signature.getInstance(JDK_ALGORITHM);
      verifier.initVerify(key);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(DECODER.decode(parts[2]))) {
        return Optional.empty();
      }
      JsonNode claims = Json.parse(DECODER.decode(parts[1]));
      return claims instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return Optional.empty(); // malformed base64, JSON or signature
    }
  }

  static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }
}
