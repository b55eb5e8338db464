package io.minicluster.controller.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.autoscaling.HorizontalPodAutoscalerSpec.Behavior;
import io.minicluster.api.autoscaling.HorizontalPodAutoscalerSpec.ScalingPolicy;
import io.minicluster.api.autoscaling.HorizontalPodAutoscalerSpec.ScalingRules;
import io.minicluster.controller.podautoscaler.Normalizer.Reason;
import io.minicluster.controller.podautoscaler.Normalizer.Result;
import io.minicluster.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stabilization windows and scaling policies with a clock the test moves. */
class NormalizerTest {
  private static final String KEY = "default/web";
  private static final ScalingRules DEFAULT_UP = new ScalingRules(0, "Max",
      List.of(new ScalingPolicy("Pods", 4, 15), new ScalingPolicy("Percent", 100, 15)));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
  private final Normalizer normalizer = new Normalizer(clock, Normalizer.DEFAULT_DOWNSCALE_STABILIZATION);

  private static Behavior behavior(ScalingRules up, ScalingRules down) {
    return new Behavior(up, down);
  }

  private static ScalingRules down(int window, String select, ScalingPolicy... policies) {
    return new ScalingRules(window, select, List.of(policies));
  }

  /** Normalizes and, as the controller does after a rescale, records the change. */
  private Result scale(Behavior behavior, int current, int recommended, int min, int max) {
    Result result = normalizer.normalize(KEY, behavior, current, recommended, min, max);
    if (result.replicas() != current) {
      normalizer.recordScale(KEY, behavior, current, result.replicas());
    }
    return result;
  }

  @Test
  void theDefaultScaleUpRulesAllowFourPodsOrDoubleEveryFifteenSeconds() {
    Behavior behavior = behavior(DEFAULT_UP, down(300, "Max", new ScalingPolicy("Percent", 100, 15)));

    Result first = scale(behavior, 1, 20, 1, 10);
    assertThat(first.replicas()).isEqualTo(5);
    assertThat(first.ableToScale()).isEqualTo(new Reason(true, "ReadyForNewScale",
        "recommended size matches current size"));
    assertThat(first.scalingLimited()).isEqualTo(new Reason(true, "ScaleUpLimit",
        "the desired replica count is increasing faster than the maximum scale rate"));
    // within the same period the 4 pods added count: 1 at its start, so still 5
    clock.advance(Duration.ofSeconds(5));
    assertThat(scale(behavior, 5, 20, 1, 10).replicas()).isEqualTo(5);
    clock.advance(Duration.ofSeconds(11));
    Result later = scale(behavior, 5, 20, 1, 10);
    assertThat(later.replicas()).isEqualTo(10);
    assertThat(later.scalingLimited()).isEqualTo(new Reason(true, "TooManyReplicas",
        "the desired replica count is more than the maximum replica count"));
  }

  @Test
  void aScaleDownWaitsForTheStabilizationWindow() {
    Behavior behavior = behavior(DEFAULT_UP, down(15, "Max", new ScalingPolicy("Percent", 100, 15)));
    assertThat(scale(behavior, 4, 4, 1, 10).replicas()).isEqualTo(4);

    clock.advance(Duration.ofSeconds(5));
    Result stabilized = scale(behavior, 4, 1, 1, 10);
    assertThat(stabilized.replicas()).isEqualTo(4);
    assertThat(stabilized.ableToScale()).isEqualTo(new Reason(true, "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation"));
    assertThat(stabilized.scalingLimited()).isEqualTo(new Reason(false, "DesiredWithinRange",
        "the desired count is within the acceptable range"));

    clock.advance(Duration.ofSeconds(11));
    Result done = scale(behavior, 4, 1, 1, 10);
    assertThat(done.replicas()).isEqualTo(1);
    assertThat(done.ableToScale().reason()).isEqualTo("ReadyForNewScale");
  }

  @Test
  void scaleUpStabilizationKeepsTheLowestRecentRecommendation() {
    Behavior behavior = behavior(new ScalingRules(30, "Max", DEFAULT_UP.policies()),
        down(0, "Max", new ScalingPolicy("Percent", 100, 15)));
    scale(behavior, 2, 2, 1, 10);
    clock.advance(Duration.ofSeconds(10));

    Result result = scale(behavior, 2, 6, 1, 10);
    assertThat(result.replicas()).isEqualTo(2);
    assertThat(result.ableToScale()).isEqualTo(new Reason(true, "ScaleUpStabilized",
        "recent recommendations were lower than current one, applying the lowest recent recommendation"));
  }

  @Test
  void podsPoliciesLimitTheScaleDownRateAndSelectPolicyChooses() {
    Behavior onePodAMinute = behavior(DEFAULT_UP, down(0, "Max", new ScalingPolicy("Pods", 1, 60)));
    Result result = scale(onePodAMinute, 5, 1, 1, 10);
    assertThat(result.replicas()).isEqualTo(4);
    assertThat(result.scalingLimited()).isEqualTo(new Reason(true, "ScaleDownLimit",
        "the desired replica count is decreasing faster than the maximum scale rate"));
    clock.advance(Duration.ofSeconds(30));
    assertThat(scale(onePodAMinute, 4, 1, 1, 10).replicas()).as("the pod removed 30 s ago counts").isEqualTo(4);
    clock.advance(Duration.ofSeconds(31));
    assertThat(scale(onePodAMinute, 4, 1, 1, 10).replicas()).isEqualTo(3);

    normalizer.forget(KEY);
    Behavior min = behavior(DEFAULT_UP, down(0, "Min", new ScalingPolicy("Pods", 1, 60),
        new ScalingPolicy("Percent", 50, 60)));
    assertThat(scale(min, 10, 1, 1, 10).replicas()).as("Min: the smaller change, 1 pod").isEqualTo(9);
    normalizer.forget(KEY);
    Behavior max = behavior(DEFAULT_UP, down(0, "Max", new ScalingPolicy("Pods", 1, 60),
        new ScalingPolicy("Percent", 50, 60)));
    assertThat(scale(max, 10, 1, 1, 10).replicas()).as("Max: the larger change, 50%").isEqualTo(5);
    Behavior disabled = behavior(DEFAULT_UP, down(0, "Disabled", new ScalingPolicy("Pods", 1, 60)));
    assertThat(scale(disabled, 5, 1, 1, 10).replicas()).isEqualTo(5);
  }

  @Test
  void withoutBehaviorTheLegacyRulesApply() {
    // at most double (at least 4) per step, the highest recommendation of the last 5 minutes on the way down
    Result up = scale(null, 3, 20, 1, 10);
    assertThat(up.replicas()).isEqualTo(6);
    assertThat(up.scalingLimited().reason()).isEqualTo("ScaleUpLimit");
    clock.advance(Duration.ofMinutes(1));
    Result down = scale(null, 6, 2, 1, 10);
    assertThat(down.replicas()).as("20 a minute ago, within max 10").isEqualTo(10);
    assertThat(down.ableToScale().reason()).isEqualTo("ScaleDownStabilized");
    clock.advance(Duration.ofMinutes(5));
    assertThat(scale(null, 6, 2, 3, 10)).isEqualTo(new Result(3,
        new Reason(true, "ReadyForNewScale", "recommended size matches current size"),
        new Reason(true, "TooFewReplicas", "the desired replica count is less than the minimum replica count")));
  }
}
