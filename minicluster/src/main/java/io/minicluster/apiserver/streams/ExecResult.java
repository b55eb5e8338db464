package io.minicluster.apiserver.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How an exec or attach ended, and the bytes the kubelet writes on the error stream for it: a Status JSON under v4+,
 * the error text under older protocols (nothing on success).
 */
public sealed interface ExecResult {
  /** Ended normally (exit code 0, or an attach that was detached). */
  record Success() implements ExecResult {}

  /** The command exited with a non-zero code. */
  record NonZeroExit(List<String> command, int exitCode) implements ExecResult {
    public NonZeroExit {
      command = List.copyOf(command);
    }
  }

  /** Running it failed (engine error). */
  record Error(String message) implements ExecResult {}

  /** The Status object the kubelet reports for this result. */
  default ObjectNode status() {
    ObjectNode status = Json.object();
    status.putObject("metadata");
    if (this instanceof Success) {
      status.put("status", "Success");
      return status;
    }
    status.put("status", "Failure");
    status.put("message", message());
    if (this instanceof NonZeroExit exit) {
      status.put("reason", "NonZeroExitCode");
      ObjectNode cause = status.putObject("details").putArray("causes").addObject();
      cause.put("reason", "ExitCode");
      cause.put("message", Integer.toString(exit.exitCode()));
    } else if (this instanceof Error error) {
      status.put("reason", "InternalError");
      status.putObject("details").putArray("causes").addObject().put("message", error.message());
      status.put("code", 500);
    }
    return status;
  }

  /** The Status message. */
  default String message() {
    if (this instanceof NonZeroExit exit) {
      return "command terminated with non-zero exit code: error executing command " + goList(exit.command())
          + ", exit code " + exit.exitCode();
    }
    if (this instanceof Error error) {
      return "Internal error occurred: " + error.message();
    }
    return "";
  }

  /** The bytes for the error stream under {@code protocol}; empty when nothing is to be written. */
  default byte[] errorStreamBytes(ExecProtocol protocol) {
    if (protocol.statusJson()) {
      return Json.bytes(status());
    }
    return this instanceof Success ? new byte[0] : message().getBytes(StandardCharsets.UTF_8);
  }

  private static String goList(List<String> values) {
    return "[" + String.join(" ", values) + "]";
  }
}
