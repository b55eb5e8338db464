package io.minicluster.scheduler;

/**
 * The outcome of one scheduling attempt: the chosen node, or why none fits.
 *
 * @param nodeName the selected node, or null when unschedulable
 * @param error why no node fits, or null when a node was selected
 */
public record ScheduleResult(String nodeName, FitError error) {

  public static ScheduleResult scheduled(String nodeName) {
    return new ScheduleResult(nodeName, null);
  }

  public static ScheduleResult unschedulable(FitError error) {
    return new ScheduleResult(null, error);
  }

  public boolean isScheduled() {
    return nodeName != null;
  }
}
