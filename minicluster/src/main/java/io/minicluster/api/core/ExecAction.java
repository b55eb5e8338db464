package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.ExecAction: a command run in the container. */
public record ExecAction(List<String> command) {

  public ExecAction {
    command = List.copyOf(command);
  }

  public static ExecAction from(JsonNode node) {
    return new ExecAction(JsonValues.strings(node, "command"));
  }
}
