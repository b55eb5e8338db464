package io.minicluster.socks.server;

import java.util.Locale;

/**
 * The target of a forward-proxy request in absolute form ({@code GET http://web.default:8080/path?q HTTP/1.1}, RFC
 * 9112 section 3.2.2), split into what the gateway connects to and what the destination is sent.
 *
 * @param scheme lower case, e.g. {@code http}
 * @param host the host (IPv6 without brackets)
 * @param port the explicit port, else the scheme's default
 * @param authority the authority as the client wrote it (for the Host header sent on)
 * @param originForm path and query, at least {@code /} (RFC 9112 section 3.2.1)
 */
record ProxyTarget(String scheme, String host, int port, String authority, String originForm) {

  /** Parses an absolute-form request target; null if it is not one (or is malformed, or carries user info). */
  static ProxyTarget parse(String uri) {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd <= 0) {
      return null;
    }
    String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
      return null;
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < uri.length() && "/?#".indexOf(uri.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    String authority = uri.substring(authorityStart, authorityEnd);
    if (authority.isEmpty() || authority.indexOf('@') >= 0) {
      return null;
    }
    int defaultPort = switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> -1;
    };
    HostAndPort hostAndPort = HostAndPort.parse(authority, defaultPort);
    if (hostAndPort == null || hostAndPort.port() <= 0) {
      return null;
    }
    String rest = uri.substring(authorityEnd);
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment);
    }
    String originForm = rest.startsWith("/") ? rest : "/" + rest;
    return new ProxyTarget(scheme, hostAndPort.host(), hostAndPort.port(), authority, originForm);
  }

  /** {@code host:port} as the access log shows it. */
  String destination() {
    return new HostAndPort(host, port).text();
  }
}
