package io.minicluster.socks.server;

/** A host (IPv6 without brackets) and port as written in a Host header or CONNECT target. */
record HostAndPort(String host, int port) {

  /** Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; null if malformed. */
  static HostAndPort parse(String text, int defaultPort) {
    String value = text.trim();
    if (value.isEmpty()) {
      return null;
    }
    String host;
    String portText = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return null;
        }
        portText = rest.substring(1);
      }
    } else {
      int colon = value.lastIndexOf(':');
      if (colon >= 0 && value.indexOf(':') != colon) {
        host = value;
      } else if (colon >= 0) {
        host = value.substring(0, colon);
        portText = value.substring(colon + 1);
      } else {
        host = value;
      }
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
      return null;
    }
    int port = defaultPort;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        return null;
      }
      if (port < 1 || port > 65535) {
        return null;
      }
    }
    return new HostAndPort(host, port);
  }

  /** {@code host:port}, bracketing IPv6 literals. */
  String text() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
