package io.minicluster.scheduler.framework;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * An amount of node resources, as the scheduler's framework.Resource: CPU in millicores, memory and ephemeral storage
 * in bytes, and any other (extended, hugepages) resource by name as whole units.
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, Map<String, Long> scalar) {
  public static final Resources ZERO = new Resources(0, 0, 0, Map.of());

  public Resources {
    requireNonNull(scalar, "scalar is null");
    scalar = Map.copyOf(scalar);
  }

  public Resources plus(Resources other) {
    Map<String, Long> sum = new TreeMap<>(scalar);
    other.scalar.forEach((name, value) -> sum.merge(name, value, Long::sum));
    return new Resources(milliCpu + other.milliCpu, memory + other.memory, ephemeralStorage + other.ephemeralStorage,
        sum);
  }

  /** The difference (taking back what {@link #plus} added). */
  public Resources minus(Resources other) {
    Map<String, Long> difference = new TreeMap<>(scalar);
    other.scalar.forEach((name, value) -> difference.merge(name, -value, Long::sum));
    difference.values().removeIf(value -> value == 0);
    return new Resources(milliCpu - other.milliCpu, memory - other.memory, ephemeralStorage - other.ephemeralStorage,
        difference);
  }

  /** The per-resource maximum. */
  public Resources max(Resources other) {
    Map<String, Long> max = new TreeMap<>(scalar);
    other.scalar.forEach((name, value) -> max.merge(name, value, Math::max));
    return new Resources(Math.max(milliCpu, other.milliCpu), Math.max(memory, other.memory),
        Math.max(ephemeralStorage, other.ephemeralStorage), max);
  }

  public long scalar(String name) {
    return scalar.getOrDefault(name, 0L);
  }

  public boolean isZero() {
    return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && scalar.values().stream().allMatch(v -> v == 0);
  }
}
