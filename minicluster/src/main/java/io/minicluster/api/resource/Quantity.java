package io.minicluster.api.resource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/**
 * A resource quantity as k8s.io/apimachinery/pkg/api/resource.Quantity: a signed decimal number with an SI, binary
 * SI or decimal exponent suffix ("100m", "1Gi", "2e3"). Values are exact up to nano precision (finer input is rounded
 * away from zero, as the apiserver does). {@link #toString()} is the canonical form the apiserver writes back.
 */
public final class Quantity implements Comparable<Quantity> {

  /** The message of a string that does not look like a quantity (resource.ErrFormatWrong). */
  public static final String FORMAT_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  /** The message of an unknown suffix (resource.ErrSuffix). */
  public static final String SUFFIX_ERROR = "unable to parse quantity's suffix";

  /** How the canonical form is written, from the suffix the quantity was parsed with. */
  public enum Format { DECIMAL_EXPONENT, BINARY_SI, DECIMAL_SI }

  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

  private static final int NANO_SCALE = 9;
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigInteger KIBI = BigInteger.valueOf(1024);
  private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY_SUFFIXES = Map.of(
      "Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
  private static final String[] BINARY_BY_POWER = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private final BigDecimal value;
  private final Format format;

  private Quantity(BigDecimal value, Format format) {
    this.value = value;
    this.format = format;
  }

  /** A quantity of the given value written in the given format. */
  public static Quantity of(BigDecimal value, Format format) {
    requireNonNull(value, "value is null");
    requireNonNull(format, "format is null");
    return new Quantity(roundToNano(value), format);
  }

  /** A decimal SI quantity of a number of thousandths, e.g. CPU millicores. */
  public static Quantity ofMillis(long millis) {
    return new Quantity(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
  }

  /** A binary SI quantity of a whole number, e.g. bytes. */
  public static Quantity ofBinary(long value) {
    return new Quantity(BigDecimal.valueOf(value), Format.BINARY_SI);
  }

  /**
   * Parses a quantity string.
   *
   * @throws IllegalArgumentException with {@link #FORMAT_ERROR} or {@link #SUFFIX_ERROR} as message
   */
  public static Quantity parse(String text) {
    requireNonNull(text, "text is null");
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException(FORMAT_ERROR);
    }
    int end = s.length();
    int position = 0;
    boolean positive = true;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      positive = s.charAt(0) == '+';
      position++;
    }
    int numberStart = position;
    while (position < end && isDigit(s.charAt(position))) {
      position++;
    }
    String whole = s.substring(numberStart, position);
    String fraction = "";
    if (position < end && s.charAt(position) == '.') {
      position++;
      int fractionStart = position;
      while (position < end && isDigit(s.charAt(position))) {
        position++;
      }
      fraction = s.substring(fractionStart, position);
    }
    String suffix = s.substring(position);
    if (!suffixShapeValid(suffix)) {
      throw new IllegalArgumentException(FORMAT_ERROR);
    }
    BigDecimal number = new BigDecimal((whole.isEmpty() ? "0" : whole) + (fraction.isEmpty() ? "" : "." + fraction));
    if (!positive) {
      number = number.negate();
    }
    Integer decimal = DECIMAL_SUFFIXES.get(suffix);
    if (decimal != null) {
      return new Quantity(roundToNano(number.scaleByPowerOfTen(decimal)), Format.DECIMAL_SI);
    }
    Integer binary = BINARY_SUFFIXES.get(suffix);
    if (binary != null) {
      return new Quantity(roundToNano(number.multiply(new BigDecimal(BigInteger.TWO.pow(binary)))), Format.BINARY_SI);
    }
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      int exponent;
      try {
        exponent = Integer.parseInt(suffix.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(SUFFIX_ERROR);
      }
      if (Math.abs(exponent) > 1000) {
        throw new IllegalArgumentException(SUFFIX_ERROR);
      }
      return new Quantity(roundToNano(number.scaleByPowerOfTen(exponent)), Format.DECIMAL_EXPONENT);
    }
    throw new IllegalArgumentException(SUFFIX_ERROR);
  }

  /** Parses a quantity written as a JSON string or number (as Quantity.UnmarshalJSON accepts both). */
  public static Quantity fromJson(JsonNode node) {
    requireNonNull(node, "node is null");
    if (node.isTextual()) {
      return parse(node.asText());
    }
    if (node.isNumber()) {
      return parse(node.decimalValue().toPlainString());
    }
    throw new IllegalArgumentException(FORMAT_ERROR);
  }

  /** Whether text parses as a quantity. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The suffix part of the regular expression: [eEinumkKMGTP]*[-+]?[0-9]*. */
  private static boolean suffixShapeValid(String suffix) {
    int i = 0;
    while (i < suffix.length() && "eEinumkKMGTP".indexOf(suffix.charAt(i)) >= 0) {
      i++;
    }
    if (i < suffix.length() && (suffix.charAt(i) == '-' || suffix.charAt(i) == '+')) {
      i++;
    }
    while (i < suffix.length() && isDigit(suffix.charAt(i))) {
      i++;
    }
    return i == suffix.length();
  }

  private static BigDecimal roundToNano(BigDecimal number) {
    if (number.scale() > NANO_SCALE) {
      return number.setScale(NANO_SCALE, RoundingMode.UP);
    }
    return number;
  }

  /** The exact value. */
  public BigDecimal decimalValue() {
    return value;
  }

  public Format format() {
    return format;
  }

  /** The value in thousandths, rounded up (Quantity.MilliValue): CPU millicores. */
  public long milliValue() {
    return value.multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The value as a whole number, rounded up (Quantity.Value): bytes. */
  public long value() {
    return value.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  public int signum() {
    return value.signum();
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  /** The sum, in this quantity's format. */
  public Quantity add(Quantity other) {
    requireNonNull(other, "other is null");
    return new Quantity(value.add(other.value), isZero() ? other.format : format);
  }

  /** The difference, in this quantity's format. */
  public Quantity subtract(Quantity other) {
    requireNonNull(other, "other is null");
    return new Quantity(value.subtract(other.value), isZero() ? other.format : format);
  }

  @Override
  public int compareTo(Quantity other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Quantity quantity && value.compareTo(quantity.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.stripTrailingZeros().hashCode();
  }

  /** The canonical form, as Quantity.String(): e.g. "500m", "1Gi", "1536Mi", "1k", "1e3". */
  @Override
  public String toString() {
    if (value.signum() == 0) {
      return "0";
    }
    Format effective = format;
    if (effective == Format.BINARY_SI) {
      boolean small = value.compareTo(BigDecimal.valueOf(-1024)) > 0 && value.compareTo(BigDecimal.valueOf(1024)) < 0;
      boolean whole = value.stripTrailingZeros().scale() <= 0;
      if (small || !whole) {
        effective = Format.DECIMAL_SI;
      }
    }
    if (effective == Format.BINARY_SI) {
      BigInteger amount = value.toBigIntegerExact();
      int power = 0;
      while (power < 6 && amount.mod(KIBI).signum() == 0) {
        amount = amount.divide(KIBI);
        power++;
      }
      return amount + BINARY_BY_POWER[power];
    }
    BigDecimal stripped = value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    while (exponent % 3 != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN);
      exponent--;
    }
    return mantissa + decimalSuffix(exponent, effective);
  }

  private static String decimalSuffix(int exponent, Format format) {
    if (format == Format.DECIMAL_SI) {
      for (Map.Entry<String, Integer> entry : DECIMAL_SUFFIXES.entrySet()) {
        if (entry.getValue() == exponent) {
          return entry.getKey();
        }
      }
    } else if (exponent == 0) {
      return "";
    }
    return "e" + exponent;
  }
}
