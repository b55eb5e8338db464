package io.minicluster.apiserver.streams;

import io.minicluster.agent.runtime.StreamFrame;
import io.netty.channel.Channel;

/** The client side of an exec/attach session: WebSocket channels or SPDY streams. */
interface ExecTransport {
  /** The client connection. */
  Channel channel();

  /** Sends output to the client; may be called from any thread, in order. */
  void output(StreamFrame.Kind kind, byte[] payload);

  /** Reports the result on the error stream and ends the connection; called once, from any thread. */
  void finish(ExecResult result);
}
