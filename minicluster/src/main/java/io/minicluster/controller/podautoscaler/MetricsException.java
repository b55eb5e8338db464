package io.minicluster.controller.podautoscaler;

/**
 * A replica count could not be computed from the metrics; the message is upstream's error text and the reason that
 * of the event and ScalingActive condition it gives (FailedGetResourceMetric and the like).
 */
final class MetricsException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  MetricsException(String message) {
    this(message, "FailedGetResourceMetric");
  }

  MetricsException(String message, String reason) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
