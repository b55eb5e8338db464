package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.StreamSession;
import io.minicluster.agent.streams.LogRequest;
import io.minicluster.agent.streams.PodStreamService;
import io.minicluster.api.ApiException;
import io.minicluster.apiserver.ApiRequest;
import io.minicluster.apiserver.ApiResponse;
import io.minicluster.apiserver.PodStreams;
import io.minicluster.apiserver.ResponseChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves {@code GET pods/{name}/log} from the node agent's {@link PodStreamService}: the query becomes a
 * {@link LogRequest}, the agent's refusals become Status responses, and the log is streamed as chunked
 * {@code text/plain} until it ends, the container exits (follow) or the client goes away.
 */
public final class AgentPodLogs implements PodStreams {
  private final PodStreamService service;

  public AgentPodLogs(PodStreamService service) {
    this.service = requireNonNull(service, "service is null");
  }

  @Override
  public void log(ObjectNode pod, ApiRequest request, ResponseChannel channel) {
    PodStreamService.LogStream log;
    try {
      log = service.log(pod, logRequest(request));
    } catch (ApiException e) {
      channel.respond(ApiResponse.error(e));
      return;
    } catch (ContainerRuntimeException e) {
      channel.respond(ApiResponse.error(new ApiException(500, "InternalError", e.getMessage(), null, null, null,
          null)));
      return;
    }
    ResponseChannel.Stream stream = channel.stream("text/plain");
    AtomicReference<StreamSession> session = new AtomicReference<>();
    StreamSession opened;
    try {
      opened = log.open(frame -> {
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

  static LogRequest logRequest(ApiRequest request) {
    return new LogRequest(request.param("container"), request.flag("previous"), request.flag("follow"),
        request.flag("timestamps"), request.param("tailLines"), request.param("sinceSeconds"),
        request.param("sinceTime"), request.param("limitBytes"));
  }
}
