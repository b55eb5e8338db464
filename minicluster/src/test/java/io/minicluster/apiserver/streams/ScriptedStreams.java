package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.streams.LogRequest;
import io.minicluster.agent.streams.PodStreamService;
import io.minicluster.api.core.Pod;
import java.util.List;
import java.util.Optional;

/**
 * The node agent's streaming service over a {@link ScriptedRuntime}: a pod's container {@code c} runs as the engine
 * container named by the pod's annotation {@code test/container-c}.
 */
final class ScriptedStreams implements PodStreamService {
  private final ScriptedRuntime runtime;

  ScriptedStreams(ScriptedRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  @Override
  public LogStream log(Pod pod, LogRequest request) {
    throw new UnsupportedOperationException("logs are not scripted");
  }

  @Override
  public Optional<String> containerId(Pod pod, String container) {
    return Optional.ofNullable(pod.metadata().annotations().get("test/container-" + container));
  }

  @Override
  public boolean running(String containerId) {
    return runtime.inspect(containerId).map(ContainerStatus::running).orElse(false);
  }

  @Override
  public InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin,
      FrameSink sink) {
    return runtime.exec(containerId, command, tty, stdin, sink);
  }

  @Override
  public InteractiveSession attach(String containerId, boolean stdin, FrameSink sink) {
    return runtime.attach(containerId, stdin, sink);
  }
}
