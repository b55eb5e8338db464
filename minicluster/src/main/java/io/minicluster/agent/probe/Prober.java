package io.minicluster.agent.probe;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** Runs one probe once (httpGet, tcpSocket, exec). Implementations must honour the timeout. */
@FunctionalInterface
public interface Prober {
  /**
   * Probes.
   *
   * @param probe the probe spec (its handler: httpGet/tcpSocket/exec/grpc)
   * @param target what to probe
   * @param timeout {@code timeoutSeconds}
   */
  Result probe(JsonNode probe, Target target, Duration timeout);

  /** The container being probed and where its pod is reachable from the host. */
  record Target(ObjectNode pod, ObjectNode container, String containerId, String podIp) {
    public Target {
      requireNonNull(pod, "pod is null");
      requireNonNull(container, "container is null");
      requireNonNull(containerId, "containerId is null");
      requireNonNull(podIp, "podIp is null");
    }
  }

  /** Success, or failure with the kubelet's message (e.g. {@code HTTP probe failed with statuscode: 500}). */
  record Result(boolean success, String message) {
    public static final Result SUCCESS = new Result(true, "");

    public static Result failure(String message) {
      return new Result(false, message);
    }
  }
}
