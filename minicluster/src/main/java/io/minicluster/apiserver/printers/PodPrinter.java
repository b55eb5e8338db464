package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods as printPod: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED-NODE READINESS-GATES. STATUS follows
 * the same precedence as Kubernetes: status.reason, scheduling gates, the first unfinished init container, the
 * main containers scanned from last to first, then deletion.
 */
final class PodPrinter implements TablePrinter {
  private static final List<Column> COLUMNS = List.of(
      Column.objectName(),
      Column.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      Column.string("Status", "The aggregate status of the containers in this pod."),
      Column.string("Restarts", "The number of times the containers in this pod have been restarted and when the "
          + "last container in this pod has restarted."),
      Column.creationAge(),
      Column.wide("IP", "podIP address allocated to the pod. Routable at least within the cluster."),
      Column.wide("Node", "NodeName indicates in which node this pod is scheduled."),
      Column.wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node."),
      Column.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."));
  private static final RowCondition SUCCEEDED =
      new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully.");
  private static final RowCondition FAILED = new RowCondition("Completed", "True", "Failed", "The pod failed.");
  /** node.NodeUnreachablePodReason: the node controller's reason for pods on a lost node. */
  private static final String NODE_LOST = "NodeLost";

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<RowCondition> conditions(ObjectNode pod) {
    return switch (Fields.text(pod, "status", "phase")) {
      case "Succeeded" -> List.of(SUCCEEDED);
      case "Failed" -> List.of(FAILED);
      default -> List.of();
    };
  }

  @Override
  public List<Object> cells(ObjectNode pod, Instant now) {
    Summary summary = summarize(pod);
    String restarts = Integer.toString(summary.restarts());
    if (summary.restarts() != 0 && summary.lastRestart() != null) {
      restarts = summary.restarts() + " (" + HumanDuration.since(summary.lastRestart(), now) + " ago)";
    }
    List<Object> cells = new ArrayList<>();
    cells.add(Fields.name(pod));
    cells.add(summary.readyContainers() + "/" + summary.totalContainers());
    cells.add(summary.status());
    cells.add(restarts);
    cells.add(Fields.age(pod, now));
    cells.add(orNone(podIp(pod)));
    cells.add(orNone(Fields.text(pod, "spec", "nodeName")));
    cells.add(orNone(Fields.text(pod, "status", "nominatedNodeName")));
    cells.add(readinessGates(pod));
    return cells;
  }

  /** READY, STATUS and RESTARTS of a pod before formatting. */
  record Summary(int readyContainers, int totalContainers, String status, int restarts, Instant lastRestart) {}

  static Summary summarize(JsonNode pod) {
    JsonNode status = pod.path("status");
    int restarts = 0;
    int restartableInitRestarts = 0;
    int totalContainers = Fields.size(pod, "spec", "containers");
    int readyContainers = 0;
    Instant lastRestart = null;
    Instant lastRestartableInitRestart = null;

    String phase = Fields.text(status, "phase");
    String reason = phase;
    if (!Fields.text(status, "reason").isEmpty()) {
      reason = Fields.text(status, "reason");
    }
    for (JsonNode condition : Fields.array(status, "conditions")) {
      if (Fields.text(condition, "type").equals("PodScheduled")
          && Fields.text(condition, "reason").equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }

    List<JsonNode> initContainerSpecs = Fields.array(pod, "spec", "initContainers");
    Map<String, JsonNode> initContainers = new HashMap<>();
    for (JsonNode container : initContainerSpecs) {
      initContainers.put(Fields.text(container, "name"), container);
      if (isRestartable(container)) {
        totalContainers++;
      }
    }

    boolean initializing = false;
    List<JsonNode> initStatuses = Fields.array(status, "initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode container = initStatuses.get(i);
      int restartCount = (int) Fields.integer(container, 0, "restartCount");
      Instant finishedAt = lastTerminationFinish(container);
      restarts += restartCount;
      lastRestart = Fields.later(lastRestart, finishedAt);
      boolean restartable = isRestartable(initContainers.get(Fields.text(container, "name")));
      if (restartable) {
        restartableInitRestarts += restartCount;
        lastRestartableInitRestart = Fields.later(lastRestartableInitRestart, finishedAt);
      }
      JsonNode terminated = Fields.object(container, "state", "terminated");
      JsonNode waiting = Fields.object(container, "state", "waiting");
      if (terminated != null && Fields.integer(terminated, 0, "exitCode") == 0) {
        continue;
      }
      if (restartable && Fields.isTrue(container, "started")) {
        if (Fields.isTrue(container, "ready")) {
          readyContainers++;
        }
        continue;
      }
      if (terminated != null) {
        String terminatedReason = Fields.text(terminated, "reason");
        if (terminatedReason.isEmpty()) {
          long signal = Fields.integer(terminated, 0, "signal");
          reason = signal != 0
              ? "Init:Signal:" + signal
              : "Init:ExitCode:" + Fields.integer(terminated, 0, "exitCode");
        } else {
          reason = "Init:" + terminatedReason;
        }
      } else if (waiting != null && !Fields.text(waiting, "reason").isEmpty()
          && !Fields.text(waiting, "reason").equals("PodInitializing")) {
        reason = "Init:" + Fields.text(waiting, "reason");
      } else {
        reason = "Init:" + i + "/" + initContainerSpecs.size();
      }
      initializing = true;
      break;
    }

    if (!initializing || firstConditionIsTrue(status, "Initialized")) {
      restarts = restartableInitRestarts;
      lastRestart = lastRestartableInitRestart;
      boolean hasRunning = false;
      String errorReason = "";
      List<JsonNode> containerStatuses = Fields.array(status, "containerStatuses");
      for (int i = containerStatuses.size() - 1; i >= 0; i--) {
        JsonNode container = containerStatuses.get(i);
        restarts += (int) Fields.integer(container, 0, "restartCount");
        lastRestart = Fields.later(lastRestart, lastTerminationFinish(container));
        JsonNode waiting = Fields.object(container, "state", "waiting");
        JsonNode terminated = Fields.object(container, "state", "terminated");
        if (waiting != null && !Fields.text(waiting, "reason").isEmpty()) {
          reason = Fields.text(waiting, "reason");
        } else if (terminated != null) {
          long signal = Fields.integer(terminated, 0, "signal");
          long exitCode = Fields.integer(terminated, 0, "exitCode");
          if (!Fields.text(terminated, "reason").isEmpty()) {
            reason = Fields.text(terminated, "reason");
          } else if (signal != 0) {
            reason = "Signal:" + signal;
          } else {
            reason = "ExitCode:" + exitCode;
          }
          if (exitCode != 0) {
            errorReason = reason;
          }
        } else if (Fields.isTrue(container, "ready") && Fields.object(container, "state", "running") != null) {
          hasRunning = true;
          readyContainers++;
        }
      }
      // a pod whose last-scanned container completed is still running while another container runs
      if (reason.equals("Completed")) {
        if (hasRunning && anyConditionIsTrue(status, "Ready")) {
          reason = "Running";
        } else if (!errorReason.isEmpty()) {
          reason = errorReason;
        } else if (hasRunning) {
          reason = "NotReady";
        }
      }
    }

    boolean deleting = !Fields.text(pod, "metadata", "deletionTimestamp").isEmpty();
    if (deleting && Fields.text(status, "reason").equals(NODE_LOST)) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }
    return new Summary(readyContainers, totalContainers, reason, restarts, lastRestart);
  }

  /** A sidecar: an init container with restartPolicy Always. */
  private static boolean isRestartable(JsonNode initContainer) {
    return initContainer != null && Fields.text(initContainer, "restartPolicy").equals("Always");
  }

  private static Instant lastTerminationFinish(JsonNode containerStatus) {
    JsonNode terminated = Fields.object(containerStatus, "lastState", "terminated");
    return terminated == null ? null : Fields.timestamp(terminated, "finishedAt");
  }

  /** Whether the first condition of a type has status True (podutil.IsPodInitialized semantics). */
  private static boolean firstConditionIsTrue(JsonNode status, String type) {
    for (JsonNode condition : Fields.array(status, "conditions")) {
      if (Fields.text(condition, "type").equals(type)) {
        return Fields.text(condition, "status").equals("True");
      }
    }
    return false;
  }

  private static boolean anyConditionIsTrue(JsonNode status, String type) {
    for (JsonNode condition : Fields.array(status, "conditions")) {
      if (Fields.text(condition, "type").equals(type) && Fields.text(condition, "status").equals("True")) {
        return true;
      }
    }
    return false;
  }

  /** The primary pod IP as the v1-to-internal conversion sees it: status.podIP wins over status.podIPs[0]. */
  private static String podIp(JsonNode pod) {
    String podIp = Fields.text(pod, "status", "podIP");
    if (!podIp.isEmpty()) {
      return podIp;
    }
    List<JsonNode> podIps = Fields.array(pod, "status", "podIPs");
    return podIps.isEmpty() ? "" : Fields.text(podIps.get(0), "ip");
  }

  private static String readinessGates(JsonNode pod) {
    List<JsonNode> gates = Fields.array(pod, "spec", "readinessGates");
    if (gates.isEmpty()) {
      return "<none>";
    }
    int trueConditions = 0;
    for (JsonNode gate : gates) {
      String type = Fields.text(gate, "conditionType");
      for (JsonNode condition : Fields.array(pod, "status", "conditions")) {
        if (Fields.text(condition, "type").equals(type)) {
          if (Fields.text(condition, "status").equals("True")) {
            trueConditions++;
          }
          break;
        }
      }
    }
    return trueConditions + "/" + gates.size();
  }

  private static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }
}
