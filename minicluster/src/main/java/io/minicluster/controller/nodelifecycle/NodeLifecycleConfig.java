package io.minicluster.controller.nodelifecycle;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The node lifecycle controller's periods (kube-controller-manager's flags of the same names).
 *
 * @param monitorGracePeriod how long a node that has posted status may go without a heartbeat (its Lease renewed or
 *     its Ready condition's heartbeat moved) before it is marked Unknown: {@code --node-monitor-grace-period}, 50 s
 *     since Kubernetes 1.32 (40 s before)
 * @param startupGracePeriod the same for a node that never posted a Ready condition, counted from its creation:
 *     {@code --node-startup-grace-period}, 60 s
 */
public record NodeLifecycleConfig(Duration monitorGracePeriod, Duration startupGracePeriod) {
  public static final Duration DEFAULT_MONITOR_GRACE_PERIOD = Duration.ofSeconds(50);
  public static final Duration DEFAULT_STARTUP_GRACE_PERIOD = Duration.ofSeconds(60);

  public NodeLifecycleConfig {
    requireNonNull(monitorGracePeriod, "monitorGracePeriod is null");
    requireNonNull(startupGracePeriod, "startupGracePeriod is null");
    if (monitorGracePeriod.isNegative() || monitorGracePeriod.isZero() || startupGracePeriod.isNegative()
        || startupGracePeriod.isZero()) {
      throw new IllegalArgumentException("grace periods must be positive: " + monitorGracePeriod + ", "
          + startupGracePeriod);
    }
  }

  public static NodeLifecycleConfig defaults() {
    return new NodeLifecycleConfig(DEFAULT_MONITOR_GRACE_PERIOD, DEFAULT_STARTUP_GRACE_PERIOD);
  }

  public NodeLifecycleConfig withMonitorGracePeriod(Duration value) {
    return new NodeLifecycleConfig(value, startupGracePeriod);
  }
}
