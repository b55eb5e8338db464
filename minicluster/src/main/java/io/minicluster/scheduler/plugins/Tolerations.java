package io.minicluster.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Taint and toleration matching, as pkg/apis/core/v1/helper (Toleration.ToleratesTaint). */
public final class Tolerations {
  private Tolerations() {}

  /**
   * Whether a toleration tolerates a taint: the effect is empty or equal, the key is empty or equal, and the operator
   * is Exists or the values are equal (Equal, the default). An empty key with Exists tolerates every taint.
   */
  public static boolean tolerates(JsonNode toleration, JsonNode taint) {
    String effect = Json.text(toleration, "effect");
    if (!effect.isEmpty() && !effect.equals(Json.text(taint, "effect"))) {
      return false;
    }
    String key = Json.text(toleration, "key");
    if (!key.isEmpty() && !key.equals(Json.text(taint, "key"))) {
      return false;
    }
    return switch (Json.text(toleration, "operator")) {
      case "", "Equal" -> Json.text(toleration, "value").equals(Json.text(taint, "value"));
      case "Exists" -> true;
      default -> false;
    };
  }

  public static boolean anyTolerates(List<JsonNode> tolerations, JsonNode taint) {
    for (JsonNode toleration : tolerations) {
      if (tolerates(toleration, taint)) {
        return true;
      }
    }
    return false;
  }

  /** The first taint passing {@code relevant} that no toleration tolerates. */
  public static Optional<JsonNode> firstUntolerated(List<JsonNode> taints, List<JsonNode> tolerations,
      Predicate<JsonNode> relevant) {
    for (JsonNode taint : taints) {
      if (relevant.test(taint) && !anyTolerates(tolerations, taint)) {
        return Optional.of(taint);
      }
    }
    return Optional.empty();
  }
}
