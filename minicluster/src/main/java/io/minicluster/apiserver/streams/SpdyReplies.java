package io.minicluster.apiserver.streams;

import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** SYN_REPLY frames for client-opened streams. */
final class SpdyReplies {
  private SpdyReplies() {}

  /**
   * A reply echoing the stream's headers. Never empty: Netty encodes a header-less SYN_REPLY without a header block,
   * which Go's SPDY framer (kubectl) rejects as malformed and drops the connection.
   */
  static SpdySynReplyFrame replyTo(SpdySynStreamFrame syn) {
    SpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
    Iterator<Map.Entry<String, String>> headers = syn.headers().iteratorAsString();
    while (headers.hasNext()) {
      Map.Entry<String, String> header = headers.next();
      reply.headers().add(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
    }
    if (reply.headers().isEmpty()) {
      reply.headers().set("streamtype", "");
    }
    return reply;
  }
}
