package io.minicluster.apiserver.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Versions of the Kubernetes remote command stream protocol. v5 exists only over WebSocket (adds the close signal on
 * channel 255); over SPDY the kubelet speaks v4 down to v1. From v4 on the error stream carries a Status JSON; before,
 * it carries only the error text on failure.
 */
public enum ExecProtocol {
  V5("v5.channel.k8s.io", 5),
  V4("v4.channel.k8s.io", 4),
  V3("v3.channel.k8s.io", 3),
  V2("v2.channel.k8s.io", 2),
  V1("channel.k8s.io", 1);

  private final String wireName;
  private final int version;

  ExecProtocol(String wireName, int version) {
    this.wireName = wireName;
    this.version = version;
  }

  public String wireName() {
    return wireName;
  }

  public int version() {
    return version;
  }

  /** Whether the final status is a Status JSON (v4+), rather than an error text written only on failure. */
  public boolean statusJson() {
    return version >= 4;
  }

  /** Whether channel 255 carries close signals (v5). */
  public boolean closeSignal() {
    return version >= 5;
  }

  /** Whether a SPDY client opens a resize stream (v3+). */
  public boolean resizeStream() {
    return version >= 3;
  }

  /** The first protocol the client offers that SPDY exec supports (v4 down to v1). */
  public static Optional<ExecProtocol> negotiateSpdy(List<String> offered) {
    return firstSupported(offered, List.of(V4, V3, V2, V1));
  }

  private static Optional<ExecProtocol> firstSupported(List<String> offered, List<ExecProtocol> supported) {
    for (String name : offered) {
      for (ExecProtocol protocol : supported) {
        if (protocol.wireName.equals(name)) {
          return Optional.of(protocol);
        }
      }
    }
    return Optional.empty();
  }

  /** Splits header values that may each hold a comma-separated list, trimming blanks. */
  public static List<String> tokens(List<String> headerValues) {
    List<String> result = new ArrayList<>();
    for (String value : headerValues) {
      for (String token : value.split(",")) {
        String trimmed = token.trim();
        if (!trimmed.isEmpty()) {
          result.add(trimmed);
        }
      }
    }
    return result;
  }
}
