package io.minicluster.api.meta;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An int32 or a string, as k8s.io/apimachinery/pkg/util/intstr.IntOrString (a port number or name, a count or a
 * percentage). The zero value is the integer 0.
 */
public record IntOrString(boolean isString, int intValue, String stringValue) {
  public static final IntOrString ZERO = new IntOrString(false, 0, "");

  public IntOrString {
    requireNonNull(stringValue, "stringValue is null");
  }

  public static IntOrString of(int value) {
    return value == 0 ? ZERO : new IntOrString(false, value, "");
  }

  public static IntOrString of(String value) {
    return new IntOrString(true, 0, value);
  }

  /** The value of a JSON number or string; null for anything else (absent, JSON null, object). */
  public static IntOrString fromJson(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return of(node.intValue());
    }
    if (node.isTextual()) {
      return of(node.textValue());
    }
    return null;
  }

  /** A {@code *intstr.IntOrString} field; null when absent. */
  public static IntOrString optional(JsonNode node, String field) {
    return fromJson(JsonValues.child(node, field));
  }

  /** An {@code intstr.IntOrString} value field; {@link #ZERO} when absent. */
  public static IntOrString value(JsonNode node, String field) {
    IntOrString value = optional(node, field);
    return value == null ? ZERO : value;
  }

  /**
   * intstr.GetScaledValueFromIntOrPercent: the integer itself, or a percentage ("25%") of {@code total}, rounded up or
   * down.
   *
   * @throws IllegalArgumentException when the string is no percentage
   */
  public int scaledValue(int total, boolean roundUp) {
    if (!isString) {
      return intValue;
    }
    if (!stringValue.endsWith("%")) {
      throw new IllegalArgumentException("invalid type: string is not a percentage");
    }
    int percent;
    try {
      percent = Integer.parseInt(stringValue.substring(0, stringValue.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid value \"" + stringValue + "\"");
    }
    long scaled = (long) percent * total;
    return (int) (roundUp ? -Math.floorDiv(-scaled, 100) : Math.floorDiv(scaled, 100));
  }

  /** The integer or the string, as the value is written in JSON (without quotes). */
  @Override
  public String toString() {
    return isString ? stringValue : Integer.toString(intValue);
  }
}
