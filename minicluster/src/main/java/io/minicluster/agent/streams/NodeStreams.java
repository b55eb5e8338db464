package io.minicluster.agent.streams;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.PodSpecs;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.runtime.LogOptions;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;
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
  public LogStream log(ObjectNode pod, LogRequest request) {
    requireNonNull(pod, "pod is null");
    requireNonNull(request, "request is null");
    String podName = Meta.name(pod);
    String container = chooseContainer(pod, request.container());
    boolean previous = request.previous();
    List<ContainerSummary> instances = instances(runtime, Meta.uid(pod), container);
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
  public Optional<String> containerId(ObjectNode pod, String container) {
    return currentContainerId(runtime, Meta.uid(pod), container);
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
  static String chooseContainer(ObjectNode pod, String requested) {
    List<String> containers = names(PodSpecs.containers(pod));
    List<String> inits = names(PodSpecs.initContainers(pod));
    List<String> ephemeral = new ArrayList<>();
    JsonNode ephemeralNode = Json.at(pod, "spec", "ephemeralContainers");
    if (ephemeralNode != null) {
      ephemeralNode.forEach(c -> ephemeral.add(c.path("name").asText()));
    }
    String podName = Meta.name(pod);
    if (requested == null || requested.isEmpty()) {
      String annotated = Meta.annotations(pod).get(DEFAULT_CONTAINER_ANNOTATION);
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

  private static List<String> names(List<ObjectNode> containers) {
    List<String> names = new ArrayList<>();
    containers.forEach(c -> names.add(PodSpecs.name(c)));
    return names;
  }

  private static String waitingReason(ObjectNode pod, String container) {
    for (String field : List.of("containerStatuses", "initContainerStatuses")) {
      JsonNode statuses = Json.at(pod, "status", field);
      if (statuses != null) {
        for (JsonNode status : statuses) {
          if (container.equals(status.path("name").asText())) {
            String reason = status.path("state").path("waiting").path("reason").asText("");
            if (!reason.isEmpty()) {
              return reason;
            }
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
