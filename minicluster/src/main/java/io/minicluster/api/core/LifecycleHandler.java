package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.LifecycleHandler: one of exec, httpGet, tcpSocket, sleep is set, the others are null. */
public record LifecycleHandler(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, SleepAction sleep) {

  public static LifecycleHandler from(JsonNode node) {
    return new LifecycleHandler(JsonValues.optional(node, "exec", ExecAction::from),
        JsonValues.optional(node, "httpGet", HttpGetAction::from),
        JsonValues.optional(node, "tcpSocket", TcpSocketAction::from),
        JsonValues.optional(node, "sleep", SleepAction::from));
  }
}
