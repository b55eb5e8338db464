package io.minicluster.apiserver;

/** Where a handler sends its answer: one complete response, or a stream (watch, follow logs). */
public interface ResponseChannel {
  void respond(ApiResponse response);

  /** Starts a chunked 200 response; the returned stream is written chunk by chunk. */
  Stream stream(String contentType);

  /** A response body written piece by piece. Thread-safe. */
  interface Stream {
    /** Writes and flushes one chunk; returns false when the client is gone. */
    boolean write(byte[] chunk);

    /** Whether the client keeps up (outbound buffer below its high-water mark). */
    boolean writable();

    /** Ends the response. Idempotent. */
    void close();

    /** Runs when the client goes away or the stream is closed. */
    void onClose(Runnable action);
  }
}
