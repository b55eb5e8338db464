package io.minicluster.controller.podstate;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.core.Pod;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.Comparator;

/** Pod state as controllers judge it (k8s.io/kubernetes/pkg/api/v1/pod and pkg/controller helpers). */
public final class Pods {
  private Pods() {}

  /** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
  public static boolean active(Pod pod) {
    return !pod.isTerminal() && !pod.metadata().isDeleting();
  }

  public static String phase(JsonNode pod) {
    String phase = Json.textOrNull(pod, "status", "phase");
    return phase == null ? "" : phase;
  }

  /** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
  public static boolean active(JsonNode pod) {
    String phase = phase(pod);
    return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !Meta.deleting(pod);
  }

  public static JsonNode condition(JsonNode pod, String type) {
    return Conditions.get(Json.at(pod, "status"), type);
  }

  /** The Ready condition is True. */
  public static boolean ready(JsonNode pod) {
    JsonNode condition = condition(pod, "Ready");
    return condition != null && "True".equals(Json.textOrNull(condition, "status"));
  }

  /** When the pod last became ready, or null. */
  public static Instant readySince(JsonNode pod) {
    JsonNode condition = condition(pod, "Ready");
    return condition == null ? null : Meta.parseTime(Json.textOrNull(condition, "lastTransitionTime"));
  }

  /** podutil.IsPodAvailable: ready for at least minReadySeconds. */
  public static boolean available(JsonNode pod, long minReadySeconds, Instant now) {
    if (!ready(pod)) {
      return false;
    }
    if (minReadySeconds <= 0) {
      return true;
    }
    Instant since = readySince(pod);
    return since != null && !since.plusSeconds(minReadySeconds).isAfter(now);
  }

  private static String nodeName(JsonNode pod) {
    String node = Json.textOrNull(pod, "spec", "nodeName");
    return node == null ? "" : node;
  }

  private static int phaseRank(JsonNode pod) {
    return switch (phase(pod)) {
      case "Pending" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 3;
    };
  }

  private static int restarts(JsonNode pod) {
    int max = 0;
    JsonNode statuses = Json.at(pod, "status", "containerStatuses");
    if (statuses != null && statuses.isArray()) {
      for (JsonNode status : statuses) {
        max = Math.max(max, status.path("restartCount").asInt(0));
      }
    }
    return max;
  }

  /**
   * controller.ActivePods ordering: the pods to delete first come first. Unassigned before assigned, Pending before
   * Unknown before Running, not ready before ready, ready for a shorter time before longer, more restarts before
   * fewer, newer before older.
   */
  public static final Comparator<JsonNode> DELETION_ORDER = Comparator
      .<JsonNode>comparingInt(pod -> nodeName(pod).isEmpty() ? 0 : 1)
      .thenComparingInt(Pods::phaseRank)
      .thenComparingInt(pod -> ready(pod) ? 1 : 0)
      .thenComparing((a, b) -> {
        if (!ready(a) || !ready(b)) {
          return 0;
        }
        Instant first = readySince(a);
        Instant second = readySince(b);
        if (first == null || second == null || first.equals(second)) {
          return 0;
        }
        return second.compareTo(first); // later transition (shorter readiness) first
      })
      .thenComparing(Comparator.comparingInt(Pods::restarts).reversed())
      .thenComparing((a, b) -> {
        Instant first = Meta.parseTime(Json.textOrNull(a, "metadata", "creationTimestamp"));
        Instant second = Meta.parseTime(Json.textOrNull(b, "metadata", "creationTimestamp"));
        if (first == null || second == null) {
          return first == null ? (second == null ? 0 : -1) : 1;
        }
        return second.compareTo(first); // newer first
      });
}
