package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/**
 * v1.Probe with its handler inline (as in JSON): one of exec, httpGet, tcpSocket, grpc is set, the others are null.
 * The timings are as stored (the registry defaults timeoutSeconds 1, periodSeconds 10, successThreshold 1,
 * failureThreshold 3); 0 when absent.
 */
public record Probe(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, GrpcAction grpc,
    int initialDelaySeconds, int timeoutSeconds, int periodSeconds, int successThreshold, int failureThreshold,
    Long terminationGracePeriodSeconds) {

  public static Probe from(JsonNode node) {
    return new Probe(JsonValues.optional(node, "exec", ExecAction::from),
        JsonValues.optional(node, "httpGet", HttpGetAction::from),
        JsonValues.optional(node, "tcpSocket", TcpSocketAction::from),
        JsonValues.optional(node, "grpc", GrpcAction::from), JsonValues.int32(node, "initialDelaySeconds"),
        JsonValues.int32(node, "timeoutSeconds"), JsonValues.int32(node, "periodSeconds"),
        JsonValues.int32(node, "successThreshold"), JsonValues.int32(node, "failureThreshold"),
        JsonValues.optionalInt64(node, "terminationGracePeriodSeconds"));
  }
}
