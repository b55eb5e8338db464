package io.minicluster.scheduler;

import static java.util.Objects.requireNonNull;

import io.minicluster.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod fits no node, as the scheduler's framework.FitError: the number of nodes, each node's failed filter
 * status, and the message of the preemption step (PostFilter). {@link #message()} renders it exactly as
 * kube-scheduler does, e.g. {@code 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available:
 * 1 No preemption victims found for incoming pod..}
 */
public record FitError(int numAllNodes, Map<String, Status> nodeStatuses, String postFilterMessage) {
  /** The message when there is no node at all (ErrNoNodesAvailable). */
  public static final String NO_NODES = "no nodes available to schedule pods";
  static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
  static final String NO_VICTIMS = "No preemption victims found for incoming pod.";

  public FitError {
    requireNonNull(nodeStatuses, "nodeStatuses is null");
    nodeStatuses = Collections.unmodifiableMap(new TreeMap<>(nodeStatuses));
  }

  /** "0/N nodes are available: <sorted reason histogram>. <post filter message>." */
  public String message() {
    if (numAllNodes == 0) {
      return NO_NODES;
    }
    StringBuilder message = new StringBuilder(histogram(numAllNodes, nodeStatuses));
    if (postFilterMessage != null && !postFilterMessage.isEmpty()) {
      message.append(' ').append(postFilterMessage).append('.');
    }
    return message.toString();
  }

  /** "0/N nodes are available: 2 reason a, 1 reason b." with "count reason" entries sorted as strings. */
  static String histogram(int numAllNodes, Map<String, Status> statuses) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Status status : statuses.values()) {
      for (String reason : status.reasons()) {
        counts.merge(reason, 1, Integer::sum);
      }
    }
    List<String> entries = new ArrayList<>();
    counts.forEach((reason, count) -> entries.add(count + " " + reason));
    Collections.sort(entries);
    StringBuilder message = new StringBuilder("0/" + numAllNodes + " nodes are available:");
    if (!entries.isEmpty()) {
      message.append(' ').append(String.join(", ", entries)).append('.');
    }
    return message.toString();
  }

  /**
   * The message of DefaultPreemption's PostFilter when it finds no candidate ({@link Preemption}): a pod with
   * preemptionPolicy Never is not eligible; otherwise every node failing an unresolvable filter is "not helpful" and
   * every other node has "no victims".
   */
  static String preemptionMessage(String preemptionPolicy, int numAllNodes, Map<String, Status> statuses) {
    if ("Never".equals(preemptionPolicy)) {
      return "preemption: not eligible due to preemptionPolicy=Never.";
    }
    Map<String, Status> preemption = new TreeMap<>();
    statuses.forEach((node, status) -> preemption.put(node,
        status.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE
            ? Status.unresolvable(NOT_HELPFUL) : Status.unschedulable(NO_VICTIMS)));
    String histogram = histogram(numAllNodes, preemption);
    // the post filter message is rendered with its own trailing separator by message()
    return "preemption: " + histogram.substring(0, histogram.length() - 1);
  }
}
