package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The string formats a CRD schema's values are checked against: apiextensions-apiserver keeps only its supported
 * formats (validation/formats.go: StripUnsupportedFormatsPostProcess) and checks strings with strfmt's registry.
 * Other formats (int32, int64, float, double and unknown names) are documentation only.
 */
final class StringFormats {
  private static final Set<String> SUPPORTED = Set.of("bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6",
      "cidr", "mac", "uuid", "uuid3", "uuid4", "uuid5", "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor",
      "rgbcolor", "byte", "password", "date", "duration", "datetime");

  private static final Pattern UUID = Pattern.compile(
      "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern UUID3 = Pattern.compile(
      "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern UUID4 = Pattern.compile(
      "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
  private static final Pattern UUID5 = Pattern.compile(
      "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
  private static final Pattern HOSTNAME = Pattern.compile(
      "^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]"
      + "{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
  private static final Pattern MAC = Pattern.compile(
      "^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\\.){2}[0-9A-Fa-f]{4}$");
  private static final Pattern HEX_COLOR = Pattern.compile("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
  private static final Pattern RGB_COLOR = Pattern.compile(
      "^rgb\\(\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*,\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*,"
      + "\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*\\)$");
  private static final Pattern BSON_OBJECT_ID = Pattern.compile("^[0-9a-fA-F]{24}$");
  private static final Pattern SSN = Pattern.compile("^\\d{3}[- ]?\\d{2}[- ]?\\d{4}$");
  private static final Pattern ISBN10 = Pattern.compile("^(?:[0-9]{9}X|[0-9]{10})$");
  private static final Pattern ISBN13 = Pattern.compile("^(?:[0-9]{13})$");
  private static final Pattern CREDIT_CARD = Pattern.compile(
      "^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}"
      + "|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\d{3})\\d{11})$");
  private static final Pattern DURATION = Pattern.compile(
      "^(((\\d+(\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h|d|w|"
      + "nanoseconds?|nanos?|microseconds?|micros?|milliseconds?|millis?|seconds?|secs?|minutes?|mins?|hours?"
      + "|days?|weeks?))\\s*)+$");
  private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

  private StringFormats() {}

  /** The schema's format when the apiserver checks strings against it, by the name it reports; else null. */
  static String validatedFormat(JsonNode schema) {
    String format = Nodes.text(schema, "format");
    if (format == null || format.isEmpty()) {
      return null;
    }
    return SUPPORTED.contains(normalize(format)) ? format : null;
  }

  /** strfmt's name normalization: case and dashes, underscores and spaces do not count ("date-time", "datetime"). */
  private static String normalize(String format) {
    return format.replace("-", "").replace("_", "").replace(" ", "").toLowerCase(Locale.ROOT);
  }

  static boolean valid(String format, String value) {
    return switch (normalize(format)) {
      case "byte" -> base64(value);
      case "date" -> date(value);
      case "datetime" -> dateTime(value);
      case "duration" -> DURATION.matcher(value).matches();
      case "uuid" -> UUID.matcher(value).matches();
      case "uuid3" -> UUID3.matcher(value).matches();
      case "uuid4" -> UUID4.matcher(value).matches();
      case "uuid5" -> UUID5.matcher(value).matches();
      case "ipv4" -> ipv4(value);
      case "ipv6" -> !ipv4(value) && ip(value);
      case "cidr" -> cidr(value);
      case "mac" -> MAC.matcher(value).matches();
      case "hostname" -> value.length() <= 255 && HOSTNAME.matcher(value).matches();
      case "email" -> EMAIL.matcher(value).matches();
      case "uri" -> uri(value);
      case "hexcolor" -> HEX_COLOR.matcher(value).matches();
      case "rgbcolor" -> RGB_COLOR.matcher(value).matches();
      case "bsonobjectid" -> BSON_OBJECT_ID.matcher(value).matches();
      case "ssn" -> SSN.matcher(value).matches();
      case "isbn" -> ISBN10.matcher(value.replace("-", "").replace(" ", "")).matches()
          || ISBN13.matcher(value.replace("-", "").replace(" ", "")).matches();
      case "isbn10" -> ISBN10.matcher(value.replace("-", "").replace(" ", "")).matches();
      case "isbn13" -> ISBN13.matcher(value.replace("-", "").replace(" ", "")).matches();
      case "creditcard" -> CREDIT_CARD.matcher(value.replace("-", "").replace(" ", "")).matches();
      default -> true;
    };
  }

  private static boolean base64(String value) {
    try {
      Base64.getDecoder().decode(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean date(String value) {
    try {
      LocalDate.parse(value);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean dateTime(String value) {
    String normalized = value.replace('t', 'T').replace('z', 'Z');
    try {
      OffsetDateTime.parse(normalized);
      return true;
    } catch (DateTimeParseException e) {
      // strfmt also accepts a space or no zone designator variants; keep the RFC 3339 form strict otherwise
      return false;
    }
  }

  private static boolean ipv4(String value) {
    var matcher = IPV4.matcher(value);
    if (!matcher.matches()) {
      return false;
    }
    for (int group = 1; group <= 4; group++) {
      if (Integer.parseInt(matcher.group(group)) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean ip(String value) {
    if (ipv4(value)) {
      return true;
    }
    // only a literal with a colon is parsed: InetAddress never resolves it as a host name
    if (!value.contains(":") || !value.matches("^[0-9A-Fa-f:.]+$")) {
      return false;
    }
    try {
      return InetAddress.getByName(value) instanceof Inet6Address;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean cidr(String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String address = value.substring(0, slash);
    String bits = value.substring(slash + 1);
    if (!bits.matches("^\\d{1,3}$") || !ip(address)) {
      return false;
    }
    int max = address.contains(":") ? 128 : 32;
    return Integer.parseInt(bits) <= max;
  }

  private static boolean uri(String value) {
    try {
      URI uri = new URI(value);
      return uri.isAbsolute() || value.startsWith("/");
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
