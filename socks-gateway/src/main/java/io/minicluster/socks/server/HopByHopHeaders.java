package io.minicluster.socks.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Set;

/**
 * Removes the header fields that describe one connection rather than the message (RFC 9110 section 7.6.1): the
 * fields the Connection header names, and Connection, Keep-Alive, Proxy-Connection, Proxy-Authorization,
 * Proxy-Authenticate, TE and Upgrade themselves. Transfer-Encoding is left: the gateway's codecs re-frame the body
 * exactly as it arrived, so the field stays true.
 */
final class HopByHopHeaders {

  private static final List<AsciiString> ALWAYS = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
      HttpHeaderNames.TE, HttpHeaderNames.UPGRADE);

  /** Fields the message's framing or routing needs, never removed even when Connection names them. */
  private static final Set<String> PROTECTED = Set.of("transfer-encoding", "content-length", "host");

  private HopByHopHeaders() {
  }

  static void remove(HttpHeaders headers) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !PROTECTED.contains(AsciiString.of(name).toLowerCase().toString())) {
          headers.remove(name);
        }
      }
    }
    for (AsciiString name : ALWAYS) {
      headers.remove(name);
    }
  }
}
