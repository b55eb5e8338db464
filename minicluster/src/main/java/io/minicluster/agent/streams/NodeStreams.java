package io.minicluster.agent.streams;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.runtime.LogOptions;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerStateWaiting;
import io.minicluster.api.core.ContainerStatus;
import io.minicluster.api.core.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node agent's {@link PodStreamService} on the container engine. Logs: container selection as the API server
 * does it (the only container, the {@code kubectl.kubernetes.io/default-container} annotation, else 400),
 * {@code previous} (the instance before the current one, which the agent keeps), tailLines, sinceSeconds/sinceTime,
 * timestamps, limitBytes and follow (a stream ending when the container exits or the reader goes away).
 */
public final class NodeStreams implements PodStreamService {
  static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  private final ContainerRuntime runtime;
  private final Clock clock;

  public NodeStreams(ContainerRuntime runtime, Clock clock) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public LogStream log(Pod pod, LogRequest request) {
    requireNonNull(pod, "pod is null");
    requireNonNull(request, "request is null");
    String podName = pod.metadata().name();
    String container = chooseContainer(pod, request.container());
    boolean previous = request.previous();
    List<ContainerSummary> instances = instances(runtime, pod.metadata().uid(), container);
    int index = previous ? 1 : 0;
    if (instances.size() <= index) {
      if (previous) {
        throw ApiException.badRequest("previous terminated container \"" + container + "\" in pod \"" + podName
            + "\" not found");
      }
      throw ApiException.badRequest("container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: "
          + waitingReason(pod, container));
    }
    LogOptions options = options(request);
    String containerId = instances.get(index).id();
    return sink -> runtime.logs(containerId, options, sink);
  }

  @Override
  public Optional<String> containerId(Pod pod, String container) {
    return currentContainerId(runtime, pod.metadata().uid(), container);
  }

  @Override
  public boolean running(String containerId) {
    return runtime.inspect(containerId).map(status -> status.running()).orElse(false);
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

  LogOptions options(LogRequest request) {
    boolean follow = request.follow();
    int tail = -1;
    String tailText = request.tailLines();
    if (tailText != null && !tailText.isEmpty()) {
      tail = (int) Math.max(0, Math.min(Integer.MAX_VALUE, parseLong("tailLines", tailText)));
    }
    Instant since = null;
    String sinceSeconds = request.sinceSeconds();
    String sinceTime = request.sinceTime();
    if (sinceSeconds != null && !sinceSeconds.isEmpty()) {
      long seconds = parseLong("sinceSeconds", sinceSeconds);
      if (seconds < 1) {
        throw ApiException.badRequest("sinceSeconds must be greater than 0");
      }
      since = clock.instant().minusSeconds(seconds);
    } else if (sinceTime != null && !sinceTime.isEmpty()) {
      since = Meta.parseTime(sinceTime);
      if (since == null) {
        throw ApiException.badRequest("invalid sinceTime: " + sinceTime);
      }
    }
    long limit = 0;
    String limitText = request.limitBytes();
    if (limitText != null && !limitText.isEmpty()) {
      limit = parseLong("limitBytes", limitText);
      if (limit < 1) {
        throw ApiException.badRequest("limitBytes must be greater than 0");
      }
    }
    return new LogOptions(follow, tail, since, request.timestamps(), limit);
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid " + name + ": " + value);
    }
  }

  /** The container a log request is about, following the API server's rules. */
  static String chooseContainer(Pod pod, String requested) {
    List<String> containers = names(pod.spec().containers());
    List<String> inits = names(pod.spec().initContainers());
    List<String> ephemeral = new ArrayList<>();
    pod.spec().ephemeralContainers().forEach(c -> ephemeral.add(c.container().name()));
    String podName = pod.metadata().name();
    if (requested == null || requested.isEmpty()) {
      String annotated = pod.metadata().annotations().get(DEFAULT_CONTAINER_ANNOTATION);
      if (annotated != null && containers.contains(annotated)) {
        return annotated;
      }
      if (containers.size() == 1) {
        return containers.get(0);
      }
      StringBuilder message = new StringBuilder("a container name must be specified for pod " + podName
          + ", choose one of: [" + String.join(" ", containers) + "]");
      if (!inits.isEmpty()) {
        message.append(" or one of the init containers: [").append(String.join(" ", inits)).append("]");
      }
      if (!ephemeral.isEmpty()) {
        message.append(" or one of the ephemeral containers: [").append(String.join(" ", ephemeral)).append("]");
      }
      throw ApiException.badRequest(message.toString());
    }
    if (!containers.contains(requested) && !inits.contains(requested) && !ephemeral.contains(requested)) {
      throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
    }
    return requested;
  }

  private static List<String> names(List<Container> containers) {
    List<String> names = new ArrayList<>();
    containers.forEach(c -> names.add(c.name()));
    return names;
  }

  private static String waitingReason(Pod pod, String container) {
    for (List<ContainerStatus> statuses : List.of(pod.status().containerStatuses(),
        pod.status().initContainerStatuses())) {
      for (ContainerStatus status : statuses) {
        if (container.equals(status.name())) {
          ContainerStateWaiting waiting = status.state() == null ? null : status.state().waiting();
          if (waiting != null && !waiting.reason().isEmpty()) {
            return waiting.reason();
          }
        }
      }
    }
    return "ContainerCreating";
  }

  /** The engine instances of one container of a pod, newest (highest restart count) first. */
  public static List<ContainerSummary> instances(ContainerRuntime runtime, String podUid, String containerName) {
    List<ContainerSummary> instances = new ArrayList<>(runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid,
        RuntimeLabels.TYPE, RuntimeLabels.TYPE_CONTAINER, RuntimeLabels.CONTAINER_NAME, containerName)));
    instances.sort(Comparator.comparingInt((ContainerSummary s) -> RuntimeLabels.restartCount(s.labels()))
        .thenComparing(ContainerSummary::createdAt).reversed());
    return instances;
  }

  /** The current instance's engine id of a pod's container. */
  public static Optional<String> currentContainerId(ContainerRuntime runtime, String podUid, String containerName) {
    List<ContainerSummary> instances = instances(runtime, podUid, containerName);
    return instances.isEmpty() ? Optional.empty() : Optional.of(instances.get(0).id());
  }
}
