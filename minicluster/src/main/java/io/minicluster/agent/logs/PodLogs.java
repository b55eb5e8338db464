package io.minicluster.agent.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.PodSpecs;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.LogOptions;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.agent.runtime.StreamSession;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.apiserver.ApiRequest;
import io.minicluster.apiserver.ApiResponse;
import io.minicluster.apiserver.PodStreams;
import io.minicluster.apiserver.ResponseChannel;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves {@code GET pods/{name}/log} from the engine's container logs: container selection as the API server does it
 * (the only container, the {@code kubectl.kubernetes.io/default-container} annotation, else 400), {@code previous}
 * (the instance before the current one, which the agent keeps), tailLines, sinceSeconds/sinceTime, timestamps,
 * limitBytes and follow (a chunked stream ending when the container exits or the client goes away).
 */
public final class PodLogs implements PodStreams {
  static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  private final ContainerRuntime runtime;
  private final Clock clock;

  public PodLogs(ContainerRuntime runtime, Clock clock) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void log(ObjectNode pod, ApiRequest request, ResponseChannel channel) {
    try {
      serve(pod, request, channel);
    } catch (ApiException e) {
      channel.respond(ApiResponse.error(e));
    } catch (ContainerRuntimeException e) {
      channel.respond(ApiResponse.error(new ApiException(500, "InternalError", e.getMessage(), null, null, null,
          null)));
    }
  }

  private void serve(ObjectNode pod, ApiRequest request, ResponseChannel channel) {
    String podName = Meta.name(pod);
    String container = chooseContainer(pod, request.param("container"));
    boolean previous = request.flag("previous");
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
    ResponseChannel.Stream stream = channel.stream("text/plain");
    AtomicReference<StreamSession> session = new AtomicReference<>();
    StreamSession opened;
    try {
      opened = runtime.logs(containerId, options, frame -> {
        if (!stream.write(frame.payload())) {
          StreamSession current = session.get();
          if (current != null) {
            current.close();
          }
        }
      });
    } catch (ContainerRuntimeException e) {
      stream.close();
      return;
    }
    session.set(opened);
    stream.onClose(opened::close);
    opened.completion().whenComplete((ignored, error) -> stream.close());
  }

  LogOptions options(ApiRequest request) {
    boolean follow = request.flag("follow");
    int tail = -1;
    String tailText = request.param("tailLines");
    if (tailText != null && !tailText.isEmpty()) {
      tail = (int) Math.max(0, Math.min(Integer.MAX_VALUE, parseLong("tailLines", tailText)));
    }
    Instant since = null;
    String sinceSeconds = request.param("sinceSeconds");
    String sinceTime = request.param("sinceTime");
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
    String limitText = request.param("limitBytes");
    if (limitText != null && !limitText.isEmpty()) {
      limit = parseLong("limitBytes", limitText);
      if (limit < 1) {
        throw ApiException.badRequest("limitBytes must be greater than 0");
      }
    }
    return new LogOptions(follow, tail, since, request.flag("timestamps"), limit);
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
