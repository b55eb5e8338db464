package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port forwarding over WebSocket with the channel protocol, as the kubelet serves it ({@code v4.channel.k8s.io}, its
 * base64 variant, or no subprotocol): for the i-th port of the request's {@code ports}, channel 2i carries the data
 * both ways and channel 2i+1 the server's errors. Each of the two first carries the port number, 2 bytes
 * little-endian. There is one connection to the pod per port, made at once; when it cannot be made the error goes on
 * the port's error channel. When every port's connection has ended, the server closes the WebSocket. Expects whole
 * messages (a {@code WebSocketFrameAggregator} before it); everything runs on the connection's event loop.
 */
final class WebSocketPortForwardHandler extends ChannelProtocolHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketPortForwardHandler.class);

  private final List<Integer> ports;
  private final String podDescription;
  private final String podIp;
  private final List<PodPortConnection> connections = new ArrayList<>();
  private ChannelHandlerContext context;
  private int ended;

  /**
   * @param ports the requested ports, in order (at least one, none 0)
   * @param podDescription names the pod in error messages ("name_namespace, uid ...")
   * @param podIp the address to connect to, null when the pod has none (each forward then fails)
   */
  WebSocketPortForwardHandler(ChannelEncoding encoding, List<Integer> ports, String podDescription, String podIp) {
    super("port-forward", encoding);
    this.ports = List.copyOf(ports);
    this.podDescription = requireNonNull(podDescription, "podDescription is null");
    this.podIp = podIp;
    if (this.ports.isEmpty()) {
      throw new IllegalArgumentException("no ports");
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.context = context;
  }

  /** Once the handshake is answered: announces every port on its two channels, then connects to the pod. */
  void start() {
    for (int index = 0; index < ports.size(); index++) {
      context.write(encoding.frame(dataChannel(index), portBytes(ports.get(index))));
      context.write(encoding.frame(errorChannel(index), portBytes(ports.get(index))));
    }
    context.flush();
    for (int index = 0; index < ports.size(); index++) {
      connections.add(PodPortConnection.open(context.channel(), podIp, ports.get(index), new PodEvents(index)));
    }
  }

  private static int dataChannel(int index) {
    return 2 * index;
  }

  private static int errorChannel(int index) {
    return 2 * index + 1;
  }

  private static byte[] portBytes(int port) {
    return new byte[] {(byte) port, (byte) (port >>> 8)};
  }

  @Override
  void onMessage(ChannelEncoding.Message message) {
    int channel = message.channel();
    // the error channels are the server's only; anything else is not a channel of this connection
    if (channel % 2 != 0 || channel / 2 >= connections.size() || message.data().length == 0) {
      return;
    }
    connections.get(channel / 2).write(Unpooled.wrappedBuffer(message.data()));
  }

  /** What one port's pod connection reports. */
  private final class PodEvents implements PodPortConnection.Listener {
    private final int index;

    PodEvents(int index) {
      this.index = index;
    }

    @Override
    public void received(ByteBuf bytes) {
      context.writeAndFlush(encoding.frame(dataChannel(index), bytes));
    }

    @Override
    public void ended(String error) {
      if (error != null && !closeSent()) {
        String message = "error forwarding port " + ports.get(index) + " to pod " + podDescription + ": " + error;
        LOG.debug(message);
        context.writeAndFlush(encoding.frame(errorChannel(index), message.getBytes(StandardCharsets.UTF_8)));
      }
      ended++;
      if (ended == ports.size()) {
        sendClose(context.channel());
      }
    }
  }

  @Override
  void onClientClose() {
    closeConnections();
  }

  private void closeConnections() {
    for (PodPortConnection connection : connections) {
      connection.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    for (PodPortConnection connection : connections) {
      connection.clientWritabilityChanged();
    }
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    closeConnections();
    context.fireChannelInactive();
  }
}
