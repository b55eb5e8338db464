package io.minicluster.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.util.Base64;

/**
 * The continue tokens of paged lists, in the apiserver's form (storage/etcd3: encodeContinue): base64url JSON with
 * the list's revision and the key to start after, relative to the listed prefix.
 */
public final class ContinueTokens {
  private ContinueTokens() {}

  /** The token of the page after lastKey, of a list of prefix at revision. */
  public static String encode(long revision, String lastKey, String prefix) {
    if (!lastKey.startsWith(prefix)) {
      throw new IllegalArgumentException("key " + lastKey + " is not below " + prefix);
    }
    ObjectNode token = Json.object();
    token.put("v", "meta.k8s.io/v1");
    token.put("rv", revision);
    token.put("start", lastKey.substring(prefix.length()) + "\u0000");
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(token));
  }

  /**
   * The key a token says to start after, below prefix.
   *
   * @throws ApiException 400 for a token that is not one, or that would leave the prefix
   */
  public static String decode(String token, String prefix) {
    try {
      ObjectNode decoded = Json.parseObject(Base64.getUrlDecoder().decode(token));
      String start = decoded.path("start").asText();
      if (start.endsWith("\u0000")) {
        start = start.substring(0, start.length() - 1);
      }
      if (start.contains("..") || start.startsWith("/")) {
        throw new IllegalArgumentException("bad start");
      }
      return prefix + start;
    } catch (RuntimeException e) {
      throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
    }
  }
}
