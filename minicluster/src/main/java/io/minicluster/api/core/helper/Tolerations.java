package io.minicluster.api.core.helper;

import io.minicluster.api.core.Taint;
import io.minicluster.api.core.Toleration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Taint and toleration matching, as pkg/apis/core/v1/helper (Toleration.ToleratesTaint). */
public final class Tolerations {
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  private Tolerations() {}

  /**
   * Whether a toleration tolerates a taint: the effect is empty or equal, the key is empty or equal, and the operator
   * is Exists or the values are equal (Equal, the default). An empty key with Exists tolerates every taint.
   */
  public static boolean tolerates(Toleration toleration, Taint taint) {
    if (!toleration.effect().isEmpty() && !toleration.effect().equals(taint.effect())) {
      return false;
    }
    if (!toleration.key().isEmpty() && !toleration.key().equals(taint.key())) {
      return false;
    }
    return switch (toleration.operator()) {
      case "", "Equal" -> toleration.value().equals(taint.value());
      case "Exists" -> true;
      default -> false;
    };
  }

  public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
    for (Toleration toleration : tolerations) {
      if (tolerates(toleration, taint)) {
        return true;
      }
    }
    return false;
  }

  /** The first taint passing {@code relevant} that no toleration tolerates. */
  public static Optional<Taint> firstUntolerated(List<Taint> taints, List<Toleration> tolerations,
      Predicate<Taint> relevant) {
    for (Taint taint : taints) {
      if (relevant.test(taint) && !anyTolerates(tolerations, taint)) {
        return Optional.of(taint);
      }
    }
    return Optional.empty();
  }
}
