package io.minicluster.agent;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Kubernetes resource quantities ("250m", "1.5", "64Mi", "1G", "1e3") as numbers for the container engine. */
public final class Quantities {
  private Quantities() {}

  /** The quantity as a decimal number of base units (cores, bytes). */
  public static BigDecimal parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty quantity");
    }
    String value = text.strip();
    String[][] binary = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
        {"Pi", "1125899906842624"}, {"Ei", "1152921504606846976"}};
    for (String[] suffix : binary) {
      if (value.endsWith(suffix[0])) {
        return number(value.substring(0, value.length() - 2), text).multiply(new BigDecimal(suffix[1]));
      }
    }
    String[][] decimal = {{"n", "-9"}, {"u", "-6"}, {"m", "-3"}, {"k", "3"}, {"M", "6"}, {"G", "9"}, {"T", "12"},
        {"P", "15"}, {"E", "18"}};
    for (String[] suffix : decimal) {
      if (value.endsWith(suffix[0])) {
        return number(value.substring(0, value.length() - 1), text).scaleByPowerOfTen(Integer.parseInt(suffix[1]));
      }
    }
    return number(value, text);
  }

  private static BigDecimal number(String digits, String original) {
    try {
      return new BigDecimal(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("quantities must match the regular expression: " + original);
    }
  }

  /** CPU in millicores, rounded up (like {@code MilliValue}). */
  public static long millis(String text) {
    return parse(text).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Bytes (or any whole unit), rounded up. */
  public static long value(String text) {
    return parse(text).setScale(0, RoundingMode.CEILING).longValueExact();
  }
}
