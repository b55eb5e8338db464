package io.minicluster.apiserver.printers;

import static java.util.Objects.requireNonNull;

/**
 * A condition attached to one Table row (metav1.TableRowCondition); the only type Kubernetes defines is
 * "Completed", set on pods that ran to completion.
 */
public record RowCondition(String type, String status, String reason, String message) {
  public RowCondition {
    requireNonNull(type, "type is null");
    requireNonNull(status, "status is null");
  }
}
