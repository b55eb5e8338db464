package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A WebSocket subprotocol of the Kubernetes channel family, as the kubelet lists them: its name, the remote command
 * protocol version it implies (how the status is reported, whether channel 255 closes streams) and how messages are
 * encoded.
 *
 * @param wireName the Sec-WebSocket-Protocol value, empty for a client that offers none
 */
record ChannelSubprotocol(String wireName, ExecProtocol version, ChannelEncoding encoding) {
  /** No subprotocol offered: binary channels under the oldest version, and no subprotocol in the answer. */
  static final ChannelSubprotocol NONE = new ChannelSubprotocol("", ExecProtocol.V1, ChannelEncoding.BINARY);

  /** What exec and attach speak over WebSocket (base64 variants only up to v4: v5 is binary only). */
  static final List<ChannelSubprotocol> EXEC = List.of(
      new ChannelSubprotocol(ExecProtocol.V5.wireName(), ExecProtocol.V5, ChannelEncoding.BINARY),
      new ChannelSubprotocol(ExecProtocol.V4.wireName(), ExecProtocol.V4, ChannelEncoding.BINARY),
      new ChannelSubprotocol("v4.base64.channel.k8s.io", ExecProtocol.V4, ChannelEncoding.BASE64),
      new ChannelSubprotocol(ExecProtocol.V3.wireName(), ExecProtocol.V3, ChannelEncoding.BINARY),
      new ChannelSubprotocol(ExecProtocol.V2.wireName(), ExecProtocol.V2, ChannelEncoding.BINARY),
      new ChannelSubprotocol(ExecProtocol.V1.wireName(), ExecProtocol.V1, ChannelEncoding.BINARY),
      new ChannelSubprotocol("base64.channel.k8s.io", ExecProtocol.V1, ChannelEncoding.BASE64));

  /** What port-forward speaks over WebSocket with channels (the kubelet's v4 list). */
  static final List<ChannelSubprotocol> PORT_FORWARD = List.of(
      new ChannelSubprotocol(ExecProtocol.V4.wireName(), ExecProtocol.V4, ChannelEncoding.BINARY),
      new ChannelSubprotocol("v4.base64.channel.k8s.io", ExecProtocol.V4, ChannelEncoding.BASE64));

  ChannelSubprotocol {
    requireNonNull(wireName, "wireName is null");
    requireNonNull(version, "version is null");
    requireNonNull(encoding, "encoding is null");
  }

  /**
   * The first protocol in the client's list that is supported (client preference, as the apiserver's handshake);
   * {@link #NONE} when the client offers none.
   */
  static Optional<ChannelSubprotocol> negotiate(List<String> offered, List<ChannelSubprotocol> supported) {
    if (offered.isEmpty()) {
      return Optional.of(NONE);
    }
    for (String name : offered) {
      for (ChannelSubprotocol protocol : supported) {
        if (protocol.wireName.equals(name)) {
          return Optional.of(protocol);
        }
      }
    }
    return Optional.empty();
  }

  /** The names, for refusals. */
  static List<String> names(List<ChannelSubprotocol> protocols) {
    return protocols.stream().map(ChannelSubprotocol::wireName).toList();
  }
}
