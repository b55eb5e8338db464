package io.minicluster.agent.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log stream callback of {@link DockerStreams}: formats the engine's messages ({@link LogLineFormatter}), forwards them,
 * enforces the byte limit (counting timestamps, like the kubelet), completes a future.
 */
final class LogFrameCallback extends ResultCallback.Adapter<Frame> implements StreamSession {
  private static final Logger LOG = LoggerFactory.getLogger(LogFrameCallback.class);

  private final FrameSink sink;
  private final long limitBytes;
  private final LogLineFormatter formatter;
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private long written;
  private volatile boolean closing;

  LogFrameCallback(FrameSink sink, long limitBytes, LogLineFormatter formatter) {
    this.sink = sink;
    this.limitBytes = limitBytes;
    this.formatter = formatter;
  }

  @Override
  public void onNext(Frame frame) {
    if (closing || completion.isDone()) {
      return;
    }
    StreamFrame streamFrame = formatter.format(toStreamFrame(frame));
    if (streamFrame == null) {
      return;
    }
    if (limitBytes > 0) {
      long remaining = limitBytes - written;
      if (streamFrame.payload().length >= remaining) {
        byte[] truncated = Arrays.copyOf(streamFrame.payload(), (int) remaining);
        written = limitBytes;
        if (truncated.length > 0) {
          deliver(new StreamFrame(streamFrame.kind(), truncated));
        }
        close();
        return;
      }
      written += streamFrame.payload().length;
    }
    deliver(streamFrame);
  }

  void deliver(StreamFrame frame) {
    try {
      sink.accept(frame);
    } catch (RuntimeException sinkFailure) {
      LOG.debug("frame sink failed; closing stream", sinkFailure);
      completion.completeExceptionally(sinkFailure);
      close();
    }
  }

  @Override
  public void onError(Throwable throwable) {
    if (closing) {
      finished();
      return;
    }
    completion.completeExceptionally(throwable);
    super.onError(throwable);
    finished();
  }

  @Override
  public void onComplete() {
    super.onComplete();
    finished();
  }

  /** Called once the stream ended, however. */
  void finished() {
    completion.complete(null);
  }

  @Override
  public CompletableFuture<Void> completion() {
    return completion;
  }

  @Override
  public void close() {
    closing = true;
    try {
      super.close();
    } catch (IOException exception) {
      LOG.debug("closing stream failed", exception);
    }
    finished();
  }

  private static StreamFrame toStreamFrame(Frame frame) {
    StreamFrame.Kind kind = frame.getStreamType() == StreamType.STDERR ? StreamFrame.Kind.STDERR
        : StreamFrame.Kind.STDOUT;
    return new StreamFrame(kind, frame.getPayload() == null ? new byte[0] : frame.getPayload());
  }
}
