package io.minicluster.socks.policy;

import java.util.Locale;

/**
 * Why a connection was refused, with the SOCKS5 reply code (RFC 1928 section 6) sent for it. Reasons that arise
 * before a SOCKS5 request could be read carry no reply code: the connection is simply closed (or the SOCKS5 auth
 * sub-negotiation answered with its own failure). SOCKS4 refusals always answer 0x5B.
 */
public enum RefusalReason {
  CLIENT_NOT_ALLOWED(-1, 403),
  TOO_MANY_CONNECTIONS(-1, 503),
  HANDSHAKE_TIMEOUT(-1, 408),
  MALFORMED_HANDSHAKE(-1, 400),
  NO_ACCEPTABLE_AUTH_METHOD(-1, 407),
  AUTHENTICATION_FAILED(-1, 407),
  GENERAL_FAILURE(0x01, 502),
  DESTINATION_NOT_ALLOWED(0x02, 403),
  NAME_NOT_ALLOWED(0x02, 403),
  NETWORK_UNREACHABLE(0x03, 502),
  HOST_UNREACHABLE(0x04, 502),
  NAME_NOT_FOUND(0x04, 502),
  CONNECTION_REFUSED(0x05, 502),
  CONNECT_TIMEOUT(0x06, 504),
  COMMAND_NOT_SUPPORTED(0x07, 405),
  ADDRESS_TYPE_NOT_SUPPORTED(0x08, 400);

  private final int socks5Code;
  private final int httpStatus;

  RefusalReason(int socks5Code, int httpStatus) {
    this.socks5Code = socks5Code;
    this.httpStatus = httpStatus;
  }

  /** The SOCKS5 REP byte, or -1 when the connection is closed without a SOCKS5 reply. */
  public int socks5Code() {
    return socks5Code;
  }

  /** The status answered to an HTTP CONNECT refused for this reason. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Lower-case label used in metrics and logs, e.g. {@code destination_not_allowed}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
