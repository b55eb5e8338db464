package io.minicluster.socks.server;

import io.minicluster.socks.Credentials;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Checks an HTTP proxy request's {@code Proxy-Authorization: Basic ...} against the gateway's credentials. */
final class ProxyAuthorization {

  /** The challenge sent with 407. */
  static final String CHALLENGE = "Basic realm=\"socks-gateway\", charset=\"UTF-8\"";

  private ProxyAuthorization() {
  }

  static boolean authorized(HttpRequest request, Credentials credentials) {
    String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    String pair = new String(decoded, StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return false;
    }
    return credentials.matches(pair.substring(0, colon).getBytes(StandardCharsets.UTF_8),
        pair.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
  }
}
