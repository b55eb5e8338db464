package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import java.util.ArrayList;
import java.util.List;

/** The pod and container a stream request is for, resolved as the apiserver and kubelet do. */
record StreamTarget(ObjectNode pod, String container, String containerId) {

  StreamTarget {
    requireNonNull(pod, "pod is null");
  }

  /**
   * The container to use: the one named (which must exist among containers, init and ephemeral containers), else the
   * only container.
   *
   * @throws ApiException 400 BadRequest with the apiserver's messages
   */
  static String containerName(ObjectNode pod, String requested) {
    String podName = pod.path("metadata").path("name").asText("");
    JsonNode spec = pod.path("spec");
    List<String> containers = names(spec.path("containers"));
    if (requested == null || requested.isEmpty()) {
      if (containers.size() == 1) {
        return containers.get(0);
      }
      if (containers.isEmpty()) {
        throw ApiException.badRequest("a container name must be specified for pod " + podName);
      }
      String message = "a container name must be specified for pod " + podName + ", choose one of: ["
          + String.join(" ", containers) + "]";
      List<String> initContainers = names(spec.path("initContainers"));
      if (!initContainers.isEmpty()) {
        message += " or one of the init containers: [" + String.join(" ", initContainers) + "]";
      }
      throw ApiException.badRequest(message);
    }
    List<String> all = new ArrayList<>(containers);
    all.addAll(names(spec.path("initContainers")));
    all.addAll(names(spec.path("ephemeralContainers")));
    if (!all.contains(requested)) {
      throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
    }
    return requested;
  }

  private static List<String> names(JsonNode containers) {
    List<String> names = new ArrayList<>();
    for (JsonNode container : containers) {
      names.add(container.path("name").asText(""));
    }
    return names;
  }

  /** The pod as the kubelet names it in port-forward errors. */
  static String describe(ObjectNode pod) {
    JsonNode metadata = pod.path("metadata");
    return metadata.path("name").asText("") + "_" + metadata.path("namespace").asText("") + ", uid "
        + metadata.path("uid").asText("");
  }
}
