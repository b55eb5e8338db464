package io.minicluster.agent.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.runtime.StreamSession;
import io.minicluster.api.core.Pod;
import java.util.List;
import java.util.Optional;

/**
 * The node agent's streaming service, as the kubelet offers it to the API server: container logs, exec, attach and
 * the address port-forward connects to. It speaks in the agent's own terms (pods as records, output frames, sessions);
 * the API server adapts it to HTTP, SPDY and WebSocket.
 */
public interface PodStreamService {
  /**
   * Chooses the container and instance a log request is about, checking the request's options.
   *
   * @throws io.minicluster.api.ApiException 400 with the API server's messages for a bad request
   * @throws ContainerRuntimeException when the engine cannot be asked
   */
  LogStream log(Pod pod, LogRequest request);

  /** Tree adapter of {@link #log(Pod, LogRequest)} for callers that hold the pod as a tree. */
  default LogStream log(ObjectNode pod, LogRequest request) {
    return log(Pod.from(pod), request);
  }

  /** The engine id of the current instance of {@code container} in {@code pod}, empty when it has none. */
  Optional<String> containerId(Pod pod, String container);

  /** Tree adapter of {@link #containerId(Pod, String)}. */
  default Optional<String> containerId(ObjectNode pod, String container) {
    return containerId(Pod.from(pod), container);
  }

  /** Whether the engine container {@code containerId} runs. */
  boolean running(String containerId);

  /** Runs {@code command} in a running container; output goes to {@code sink}. */
  InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin, FrameSink sink);

  /** Attaches to a running container's main process; output goes to {@code sink}. */
  InteractiveSession attach(String containerId, boolean stdin, FrameSink sink);

  /** Where port-forward connects: the pod IP, or loopback for host-network pods; null when it has none. */
  default String forwardAddress(Pod pod) {
    if (pod.spec().hostNetwork()) {
      return "127.0.0.1";
    }
    String podIp = pod.status().podIP();
    return podIp == null || podIp.isEmpty() ? null : podIp;
  }

  /** Tree adapter of {@link #forwardAddress(Pod)}. */
  default String forwardAddress(ObjectNode pod) {
    return forwardAddress(Pod.from(pod));
  }

  /** A chosen container log, ready to be read. */
  @FunctionalInterface
  interface LogStream {
    /**
     * Starts reading; frames go to {@code sink} until the log ends (or, following, the container stops) or the
     * session is closed.
     *
     * @throws ContainerRuntimeException when the engine refuses
     */
    StreamSession open(FrameSink sink);
  }
}
