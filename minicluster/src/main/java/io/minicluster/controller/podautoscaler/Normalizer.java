package io.minicluster.controller.podautoscaler;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.autoscaling.HorizontalPodAutoscalerSpec.Behavior;
import io.minicluster.api.autoscaling.HorizontalPodAutoscalerSpec.ScalingPolicy;
import io.minicluster.api.autoscaling.HorizontalPodAutoscalerSpec.ScalingRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * From a metrics recommendation to the replica count to set, as the horizontal controller's normalization: the
 * recommendations of each autoscaler over its stabilization windows, then the limits (min/max; with a behavior its
 * scaling policies over the recent scale events, else the legacy rule of at most doubling and at least 4), with the
 * AbleToScale and ScalingLimited reasons and messages the controller sets. Keeps per autoscaler key its recent
 * recommendations and scale events in memory, as upstream does; time comes from the clock.
 */
final class Normalizer {
  /** The default --horizontal-pod-autoscaler-downscale-stabilization. */
  static final Duration DEFAULT_DOWNSCALE_STABILIZATION = Duration.ofMinutes(5);

  private final Clock clock;
  private final Duration downscaleStabilization;
  private final Map<String, List<Recommendation>> recommendations = new HashMap<>();
  private final Map<String, List<ScaleEvent>> scaleUpEvents = new HashMap<>();
  private final Map<String, List<ScaleEvent>> scaleDownEvents = new HashMap<>();

  Normalizer(Clock clock, Duration downscaleStabilization) {
    this.clock = requireNonNull(clock, "clock is null");
    this.downscaleStabilization = requireNonNull(downscaleStabilization, "downscaleStabilization is null");
  }

  private record Recommendation(int replicas, Instant timestamp) {}

  private record ScaleEvent(int change, Instant timestamp) {}

  /** A condition's status, reason and message. */
  record Reason(boolean status, String reason, String message) {}

  /** The count to set, with the AbleToScale and ScalingLimited conditions that explain it. */
  record Result(int replicas, Reason ableToScale, Reason scalingLimited) {}

  /** normalizeDesiredReplicas or, with a behavior, normalizeDesiredReplicasWithBehaviors. */
  synchronized Result normalize(String key, Behavior behavior, int currentReplicas, int recommended, int minReplicas,
      int maxReplicas) {
    return behavior == null
        ? withoutBehavior(key, currentReplicas, recommended, minReplicas, maxReplicas)
        : withBehavior(key, behavior, currentReplicas, recommended, minReplicas, maxReplicas);
  }

  /** Forgets an autoscaler (deleted). */
  synchronized void forget(String key) {
    recommendations.remove(key);
    scaleUpEvents.remove(key);
    scaleDownEvents.remove(key);
  }

  /** storeScaleEvent: a rescale from {@code previous} to {@code replicas}, for the scaling policies' periods. */
  synchronized void recordScale(String key, Behavior behavior, int previous, int replicas) {
    if (behavior == null) {
      return;
    }
    Instant now = clock.instant();
    boolean up = replicas > previous;
    ScalingRules rules = up ? behavior.scaleUp() : behavior.scaleDown();
    int longest = rules == null ? 0 : rules.policies().stream().mapToInt(ScalingPolicy::periodSeconds).max()
        .orElse(0);
    List<ScaleEvent> events = (up ? scaleUpEvents : scaleDownEvents).computeIfAbsent(key, k -> new ArrayList<>());
    // events older than the longest period count no more
    events.removeIf(event -> !event.timestamp.isAfter(now.minusSeconds(longest)));
    events.add(new ScaleEvent(Math.abs(replicas - previous), now));
  }

  private Result withoutBehavior(String key, int currentReplicas, int recommended, int minReplicas,
      int maxReplicas) {
    int stabilized = stabilize(key, recommended);
    Reason able = stabilized != recommended
        ? new Reason(true, "ScaleDownStabilized",
            "recent recommendations were higher than current one, applying the highest recent recommendation")
        : new Reason(true, "ReadyForNewScale", "recommended size matches current size");
    int scaleUpLimit = Math.max(2 * currentReplicas, 4);
    int replicas;
    Reason limited;
    if (stabilized < minReplicas) {
      replicas = minReplicas;
      limited = reason("TooFewReplicas", "the desired replica count is less than the minimum replica count");
    } else if (stabilized > maxReplicas && maxReplicas <= scaleUpLimit) {
      replicas = maxReplicas;
      limited = reason("TooManyReplicas", "the desired replica count is more than the maximum replica count");
    } else if (stabilized > scaleUpLimit) {
      replicas = scaleUpLimit;
      limited = reason("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate");
    } else {
      replicas = stabilized;
      limited = reason("DesiredWithinRange", "the desired count is within the acceptable range");
    }
    return new Result(replicas, able, new Reason(replicas != stabilized, limited.reason, limited.message));
  }

  private static Reason reason(String reason, String message) {
    return new Reason(false, reason, message);
  }

  /** stabilizeRecommendation: the highest recommendation of the downscale window, this one recorded. */
  private int stabilize(String key, int recommended) {
    Instant now = clock.instant();
    Instant cutoff = now.minus(downscaleStabilization);
    List<Recommendation> recent = recommendations.computeIfAbsent(key, k -> new ArrayList<>());
    int stabilized = recommended;
    int reuse = -1;
    for (int i = 0; i < recent.size(); i++) {
      Recommendation recommendation = recent.get(i);
      if (recommendation.timestamp.isAfter(cutoff)) {
        stabilized = Math.max(stabilized, recommendation.replicas);
      } else {
        reuse = i;
      }
    }
    record(recent, reuse, new Recommendation(recommended, now));
    return stabilized;
  }

  private static void record(List<Recommendation> recent, int reuse, Recommendation recommendation) {
    if (reuse >= 0) {
      recent.set(reuse, recommendation);
    } else {
      recent.add(recommendation);
    }
  }

  private Result withBehavior(String key, Behavior behavior, int currentReplicas, int recommended, int minReplicas,
      int maxReplicas) {
    ScalingRules up = rules(behavior.scaleUp(), 0);
    ScalingRules down = rules(behavior.scaleDown(), (int) downscaleStabilization.toSeconds());
    // stabilizeRecommendationWithBehaviors: the lowest of the scale-up window, the highest of the scale-down one
    Instant now = clock.instant();
    Instant upCutoff = now.minusSeconds(up.stabilizationWindowSeconds());
    Instant downCutoff = now.minusSeconds(down.stabilizationWindowSeconds());
    int upRecommendation = recommended;
    int downRecommendation = recommended;
    int reuse = -1;
    List<Recommendation> recent = recommendations.computeIfAbsent(key, k -> new ArrayList<>());
    for (int i = 0; i < recent.size(); i++) {
      Recommendation recommendation = recent.get(i);
      if (recommendation.timestamp.isAfter(upCutoff)) {
        upRecommendation = Math.min(upRecommendation, recommendation.replicas);
      }
      if (recommendation.timestamp.isAfter(downCutoff)) {
        downRecommendation = Math.max(downRecommendation, recommendation.replicas);
      }
      if (recommendation.timestamp.isBefore(upCutoff) && recommendation.timestamp.isBefore(downCutoff)) {
        reuse = i;
      }
    }
    int stabilized = Math.min(Math.max(currentReplicas, upRecommendation), downRecommendation);
    record(recent, reuse, new Recommendation(recommended, now));
    Reason able;
    if (stabilized == recommended) {
      able = new Reason(true, "ReadyForNewScale", "recommended size matches current size");
    } else if (recommended >= currentReplicas) {
      able = new Reason(true, "ScaleUpStabilized",
          "recent recommendations were lower than current one, applying the lowest recent recommendation");
    } else {
      able = new Reason(true, "ScaleDownStabilized",
          "recent recommendations were higher than current one, applying the highest recent recommendation");
    }
    // convertDesiredReplicasWithBehaviorRate
    int replicas = stabilized;
    Reason limited = reason("DesiredWithinRange", "the desired count is within the acceptable range");
    if (stabilized > currentReplicas) {
      int limit = Math.max(currentReplicas, scaleUpLimit(key, currentReplicas, up, now));
      Reason possible = maxReplicas > limit
          ? reason("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
          : reason("TooManyReplicas", "the desired replica count is more than the maximum replica count");
      int allowed = Math.min(maxReplicas, limit);
      if (stabilized > allowed) {
        replicas = allowed;
        limited = possible;
      }
    } else if (stabilized < currentReplicas) {
      int limit = Math.min(currentReplicas, scaleDownLimit(key, currentReplicas, down, now));
      Reason possible = minReplicas < limit
          ? reason("ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
          : reason("TooFewReplicas", "the desired replica count is less than the minimum replica count");
      int allowed = Math.max(minReplicas, limit);
      if (stabilized < allowed) {
        replicas = allowed;
        limited = possible;
      }
    }
    return new Result(replicas, able, new Reason(replicas != stabilized, limited.reason, limited.message));
  }

  /** Rules with the controller's defaults for what the API server did not fill (an unset part of the behavior). */
  private static ScalingRules rules(ScalingRules rules, int defaultWindow) {
    if (rules == null) {
      return new ScalingRules(defaultWindow, "Max", List.of());
    }
    return new ScalingRules(rules.stabilizationWindowSeconds() == null ? defaultWindow
        : rules.stabilizationWindowSeconds(), rules.selectPolicy() == null ? "Max" : rules.selectPolicy(),
        rules.policies());
  }

  /** calculateScaleUpLimitWithScalingRules. */
  private int scaleUpLimit(String key, int currentReplicas, ScalingRules rules, Instant now) {
    return limit(key, currentReplicas, rules, now, 1);
  }

  /** calculateScaleDownLimitWithBehaviors. */
  private int scaleDownLimit(String key, int currentReplicas, ScalingRules rules, Instant now) {
    return limit(key, currentReplicas, rules, now, -1);
  }

  /**
   * The limit the policies put on a change in a direction (1 up, -1 down) from the replicas at the start of each
   * policy's period; selectPolicy Max takes the largest change, Min the smallest, Disabled none. A percent rounds up
   * on the way up (so that a change is possible at all) and down on the way down.
   */
  private int limit(String key, int currentReplicas, ScalingRules rules, Instant now, int direction) {
    if (rules.selectPolicy().equals("Disabled")) {
      return currentReplicas;
    }
    boolean smallestChange = rules.selectPolicy().equals("Min");
    long result = 0;
    boolean first = true;
    for (ScalingPolicy policy : rules.policies()) {
      int start = periodStart(key, currentReplicas, policy, now);
      double scaled = start * (1 + direction * policy.value() / 100.0);
      long proposed = policy.type().equals("Pods") ? (long) start + (long) direction * policy.value()
          : direction > 0 ? (long) Math.ceil(scaled) : (long) scaled;
      // the change is (proposed - start) * direction: keep the larger or the smaller one
      boolean better = smallestChange == (proposed * direction < result * direction);
      if (first || better) {
        result = proposed;
        first = false;
      }
    }
    if (first) {
      // no policy: Go's starting value (MinInt32 up with Max, MaxInt32 down with Max, the reverse with Min)
      return smallestChange == (direction > 0) ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
  }

  /** The replicas at the start of a policy's period: the current ones less what was added, plus what was removed. */
  private int periodStart(String key, int currentReplicas, ScalingPolicy policy, Instant now) {
    Instant cutoff = now.minusSeconds(policy.periodSeconds());
    return currentReplicas - changes(scaleUpEvents.get(key), cutoff) + changes(scaleDownEvents.get(key), cutoff);
  }

  private static int changes(List<ScaleEvent> events, Instant cutoff) {
    int total = 0;
    if (events != null) {
      for (ScaleEvent event : events) {
        if (event.timestamp.isAfter(cutoff)) {
          total += event.change;
        }
      }
    }
    return total;
  }
}
