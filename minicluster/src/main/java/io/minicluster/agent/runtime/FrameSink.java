package io.minicluster.agent.runtime;

/** Receives output frames; called from an engine I/O thread, one frame at a time, in order. */
@FunctionalInterface
public interface FrameSink {
  void accept(StreamFrame frame);
}
