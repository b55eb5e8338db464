package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** Numbers of JSON values as the apiserver's Go code sees and prints them. */
final class GoNumbers {
  private GoNumbers() {}

  /** An int64 in the apiserver's unstructured objects: JSON numbers without fraction or exponent. */
  static boolean isInteger(JsonNode node) {
    return node.isIntegralNumber();
  }

  /** A float64 whose value is a whole number (swag.IsFloat64AJSONInteger). */
  static boolean isWholeNumber(JsonNode node) {
    if (node.isIntegralNumber()) {
      return true;
    }
    if (!node.isNumber()) {
      return false;
    }
    BigDecimal value = node.decimalValue();
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** Go's %v of a float64: the shortest representation, exponent form when the
   * exponent is below -4 or 6 and up (strconv's shortest %g), e.g. {@code 1e+06}. */
  static String formatFloat(double value) {
    if (value == 0) {
      return "0";
    }
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
    String digits = decimal.unscaledValue().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    String sign = value < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      int magnitude = Math.abs(exponent);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + magnitude;
    }
    return sign + decimal.toPlainString();
  }

  /** A bound as the apiserver prints it for a value: an integer bound of an integer value as int64, else %v. */
  static String formatBound(double bound, JsonNode value) {
    if (isInteger(value) && bound == Math.rint(bound) && Math.abs(bound) < 9.2e18) {
      return Long.toString((long) bound);
    }
    return formatFloat(bound);
  }
}
