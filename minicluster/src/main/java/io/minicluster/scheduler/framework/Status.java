package io.minicluster.scheduler.framework;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The verdict of a filter plugin on one node, as the scheduler framework's Status: success, or unschedulable with the
 * reasons shown in the FailedScheduling message. "Unresolvable" means preemption on this node cannot help.
 */
public record Status(Code code, List<String> reasons) {

  /** The outcome codes of filters. */
  public enum Code { SUCCESS, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of());

  public Status {
    requireNonNull(code, "code is null");
    reasons = List.copyOf(reasons);
  }

  /** The node does not fit now, but could after other pods go away (resources, ports). */
  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons));
  }

  /** The node cannot fit the pod whatever other pods do (taints, affinity). */
  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons));
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }
}
