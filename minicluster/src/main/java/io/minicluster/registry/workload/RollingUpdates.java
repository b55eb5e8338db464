package io.minicluster.registry.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.validation.Formats;
import java.util.ArrayList;
import java.util.List;

/**
 * The int-or-percent checks of the rolling update parameters (maxUnavailable, maxSurge) of the apps kinds, as
 * ValidatePositiveIntOrPercent and IsNotMoreThan100Percent of pkg/apis/apps/validation.
 */
public final class RollingUpdates {
  private RollingUpdates() {}

  /** ValidatePositiveIntOrPercent: a percent string ("25%") or a non-negative integer. Null is valid. */
  public static List<FieldError> positiveIntOrPercent(JsonNode value, String path) {
    List<FieldError> errors = new ArrayList<>();
    if (value == null || value.isNull()) {
      return errors;
    }
    if (value.isTextual()) {
      for (String message : Formats.percent(value.asText())) {
        errors.add(FieldError.invalid(path, value.asText(), message));
      }
    } else if (value.asLong() < 0) {
      errors.add(FieldError.invalid(path, value.asLong(), "must be greater than or equal to 0"));
    }
    return errors;
  }

  /** IsNotMoreThan100Percent: a percent value may not exceed 100%. */
  public static List<FieldError> notMoreThan100Percent(JsonNode value, String path) {
    if (value != null && value.isTextual() && intOrPercent(value) > 100) {
      return List.of(FieldError.invalid(path, value.asText(), "must not be greater than 100%"));
    }
    return List.of();
  }

  /** The number of an int or "N%" value; 0 when unset, -1 when not a number. */
  public static long intOrPercent(JsonNode value) {
    if (value == null || value.isNull()) {
      return 0;
    }
    if (value.isTextual()) {
      String text = value.asText();
      if (text.endsWith("%")) {
        try {
          return Long.parseLong(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
      return -1;
    }
    return value.asLong();
  }

  /** The value as an error shows it: the string, the number, or Go's zero IntOrString when unset. */
  public static Object render(JsonNode value) {
    if (value == null || value.isNull()) {
      return new GoValue("intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}");
    }
    return value.isTextual() ? value.asText() : (Object) value.asLong();
  }
}
