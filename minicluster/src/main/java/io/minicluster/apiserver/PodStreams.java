package io.minicluster.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;

/**
 * Streaming pod subresources served by the node agent: log (a plain streamed response). exec, attach and
 * portforward need a connection upgrade and are handled at the HTTP layer through {@link UpgradeHandler}.
 */
public interface PodStreams {
  /** Serves GET pods/{name}/log. */
  void log(ObjectNode pod, ApiRequest request, ResponseChannel channel);

  PodStreams NONE = (pod, request, channel) -> channel.respond(ApiResponse.error(
      new ApiException(400, "BadRequest", "the node agent is not running", null, null, null, null)));
}
