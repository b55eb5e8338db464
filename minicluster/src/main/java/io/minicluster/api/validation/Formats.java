package io.minicluster.api.validation;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string format checks of k8s.io/apimachinery/pkg/util/validation and .../api/validate/content. Each returns the
 * list of Kubernetes' messages for a value (empty when valid), worded exactly as the apiserver words them.
 */
public final class Formats {
  public static final int DNS1123_LABEL_MAX_LENGTH = 63;
  public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
  public static final int DNS1035_LABEL_MAX_LENGTH = 63;
  public static final int LABEL_VALUE_MAX_LENGTH = 63;
  public static final int QUALIFIED_NAME_MAX_LENGTH = 63;

  private static final String DNS1123_LABEL_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case "
      + "alphanumeric characters or '-', and must start and end with an alphanumeric character";
  private static final String DNS1123_SUBDOMAIN_FORMAT =
      DNS1123_LABEL_FORMAT + "(\\." + DNS1123_LABEL_FORMAT + ")*";
  private static final String DNS1123_SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower "
      + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  private static final String DNS1035_LABEL_FORMAT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1035_LABEL_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric "
      + "characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  private static final String LABEL_KEY_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_KEY_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and "
      + "must start and end with an alphanumeric character";
  private static final String LABEL_VALUE_FORMAT = "(" + LABEL_KEY_FORMAT + ")?";
  private static final String LABEL_VALUE_MESSAGE = "a valid label must be an empty string or consist of "
      + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String CONFIG_KEY_FORMAT = "[-._a-zA-Z0-9]+";
  private static final String CONFIG_KEY_MESSAGE =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
  private static final String ENV_NAME_FORMAT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
  private static final String ENV_NAME_MESSAGE = "a valid environment variable name must consist of alphabetic "
      + "characters, digits, '_', '-', or '.', and must not start with a digit";
  private static final String RELAXED_ENV_NAME_MESSAGE =
      "a valid environment variable name must consist only of printable ASCII characters other than '='";
  private static final String C_IDENTIFIER_FORMAT = "[A-Za-z_][A-Za-z0-9_]*";
  private static final String C_IDENTIFIER_MESSAGE = "a valid C identifier must start with alphabetic character "
      + "or '_', followed by a string of alphanumeric characters or '_'";
  private static final String PERCENT_FORMAT = "[0-9]+%";
  private static final String PERCENT_MESSAGE = "a valid percent string must be a numeric string followed by an "
      + "ending '%'";

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FORMAT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FORMAT);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FORMAT);
  private static final Pattern LABEL_KEY = Pattern.compile(LABEL_KEY_FORMAT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FORMAT);
  private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FORMAT);
  private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_FORMAT);
  private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FORMAT);
  private static final Pattern PERCENT = Pattern.compile(PERCENT_FORMAT);
  private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private Formats() {}

  /**
   * How a length limit is counted and worded. k8s.io/apimachinery/pkg/util/validation counts characters and says
   * "characters"; the label selector checks of .../api/validate/content count UTF-8 bytes, as Go's len(), and say
   * "bytes". The formats themselves are the same.
   */
  public enum LengthUnit {
    CHARACTERS("characters"),
    BYTES("bytes");

    private final String word;

    LengthUnit(String word) {
      this.word = word;
    }

    int lengthOf(String value) {
      return this == BYTES ? value.getBytes(StandardCharsets.UTF_8).length : value.length();
    }

    String maxLengthError(int length) {
      return "must be no more than " + length + " " + word;
    }
  }

  /** validation.RegexError: the message, the examples and the regular expression used. */
  public static String regexError(String message, String format, String... examples) {
    if (examples.length == 0) {
      return message + " (regex used for validation is '" + format + "')";
    }
    StringBuilder s = new StringBuilder(message).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      s.append(i > 0 ? " or " : "").append('\'').append(examples[i]).append("', ");
    }
    return s.append("regex used for validation is '").append(format).append("')").toString();
  }

  public static String maxLengthError(int length) {
    return LengthUnit.CHARACTERS.maxLengthError(length);
  }

  public static String inclusiveRangeError(long low, long high) {
    return "must be between " + low + " and " + high + ", inclusive";
  }

  public static List<String> dns1123Label(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX_LENGTH) {
      errors.add(maxLengthError(DNS1123_LABEL_MAX_LENGTH));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
        errors.add("must not contain dots");
      } else {
        errors.add(regexError(DNS1123_LABEL_MESSAGE, DNS1123_LABEL_FORMAT, "my-name", "123-abc"));
      }
    }
    return errors;
  }

  public static List<String> dns1123Subdomain(String value) {
    return dns1123Subdomain(value, LengthUnit.CHARACTERS);
  }

  public static List<String> dns1123Subdomain(String value, LengthUnit unit) {
    List<String> errors = new ArrayList<>();
    if (unit.lengthOf(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errors.add(unit.maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errors.add(regexError(DNS1123_SUBDOMAIN_MESSAGE, DNS1123_SUBDOMAIN_FORMAT, "example.com"));
    }
    return errors;
  }

  public static List<String> dns1035Label(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > DNS1035_LABEL_MAX_LENGTH) {
      errors.add(maxLengthError(DNS1035_LABEL_MAX_LENGTH));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errors.add(regexError(DNS1035_LABEL_MESSAGE, DNS1035_LABEL_FORMAT, "my-name", "abc-123"));
    }
    return errors;
  }

  /** path.ValidatePathSegmentName: names usable as one URL path segment. */
  public static List<String> pathSegmentName(String value, boolean prefix) {
    List<String> errors = new ArrayList<>();
    if (!prefix && (value.equals(".") || value.equals(".."))) {
      errors.add("may not be '" + value + "'");
    }
    if (value.contains("/")) {
      errors.add("may not contain '/'");
    }
    if (value.contains("%")) {
      errors.add("may not contain '%'");
    }
    return errors;
  }

  /** A qualified name / label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
  public static List<String> qualifiedName(String value) {
    return qualifiedName(value, LengthUnit.CHARACTERS);
  }

  /** {@link #qualifiedName(String)} with lengths (of the prefix and of the name) counted and worded in unit. */
  public static List<String> qualifiedName(String value, LengthUnit unit) {
    List<String> errors = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else {
        for (String message : dns1123Subdomain(prefix, unit)) {
          errors.add("prefix part " + message);
        }
      }
    } else {
      errors.add("a valid label key " + regexError(LABEL_KEY_MESSAGE, LABEL_KEY_FORMAT, "MyName", "my.name",
          "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errors;
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (unit.lengthOf(name) > QUALIFIED_NAME_MAX_LENGTH) {
      errors.add("name part " + unit.maxLengthError(QUALIFIED_NAME_MAX_LENGTH));
    }
    if (!LABEL_KEY.matcher(name).matches()) {
      errors.add("name part " + regexError(LABEL_KEY_MESSAGE, LABEL_KEY_FORMAT, "MyName", "my.name", "123-abc"));
    }
    return errors;
  }

  public static List<String> labelValue(String value) {
    return labelValue(value, LengthUnit.CHARACTERS);
  }

  /** {@link #labelValue(String)} with the length counted and worded in unit. */
  public static List<String> labelValue(String value, LengthUnit unit) {
    List<String> errors = new ArrayList<>();
    if (unit.lengthOf(value) > LABEL_VALUE_MAX_LENGTH) {
      errors.add(unit.maxLengthError(LABEL_VALUE_MAX_LENGTH));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errors.add(regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, "MyValue", "my_value", "12345"));
    }
    return errors;
  }

  public static List<String> configMapKey(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errors.add(maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!CONFIG_KEY.matcher(value).matches()) {
      errors.add(regexError(CONFIG_KEY_MESSAGE, CONFIG_KEY_FORMAT, "key.name", "KEY_NAME", "key-name"));
    }
    errors.addAll(chdirPrefix(value));
    return errors;
  }

  /** The strict environment variable name rule (before RelaxedEnvironmentVariableValidation). */
  public static List<String> envVarName(String value) {
    List<String> errors = new ArrayList<>();
    if (!ENV_NAME.matcher(value).matches()) {
      errors.add(regexError(ENV_NAME_MESSAGE, ENV_NAME_FORMAT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
    }
    errors.addAll(chdirPrefix(value));
    return errors;
  }

  /** The relaxed environment variable name rule, the default since Kubernetes 1.34: printable ASCII but '='. */
  public static List<String> relaxedEnvVarName(String value) {
    List<String> errors = new ArrayList<>();
    if (value.isEmpty()) {
      errors.add("environment variable name must be non-empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '=') {
        errors.add(RELAXED_ENV_NAME_MESSAGE);
        break;
      }
    }
    return errors;
  }

  public static List<String> cIdentifier(String value) {
    if (!C_IDENTIFIER.matcher(value).matches()) {
      return List.of(regexError(C_IDENTIFIER_MESSAGE, C_IDENTIFIER_FORMAT, "my_name", "MY_NAME", "MyName"));
    }
    return List.of();
  }

  public static List<String> portNumber(long port) {
    return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRangeError(1, 65535));
  }

  public static List<String> portName(String port) {
    List<String> errors = new ArrayList<>();
    if (port.length() > 15) {
      errors.add(maxLengthError(15));
    }
    if (!PORT_NAME_CHARSET.matcher(port).matches()) {
      errors.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!port.chars().anyMatch(c -> c >= 'a' && c <= 'z')) {
      errors.add("must contain at least one letter (a-z)");
    }
    if (port.contains("--")) {
      errors.add("must not contain consecutive hyphens");
    }
    if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
      errors.add("must not begin or end with a hyphen");
    }
    return errors;
  }

  public static List<String> percent(String value) {
    return PERCENT.matcher(value).matches() ? List.of() : List.of(regexError(PERCENT_MESSAGE, PERCENT_FORMAT, "1%",
        "93%"));
  }

  /** Whether value is an IPv4 or IPv6 address in canonical-enough textual form (no zones, no leading zeros). */
  public static boolean isIp(String value) {
    if (value.isEmpty()) {
      return false;
    }
    Matcher m = IPV4.matcher(value);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        String part = m.group(i);
        if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
          return false;
        }
      }
      return true;
    }
    if (!value.contains(":") || value.contains("%") || !value.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(value) instanceof Inet6Address;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public static boolean isIpv4(String value) {
    return isIp(value) && !value.contains(":");
  }

  private static List<String> chdirPrefix(String value) {
    if (value.equals(".")) {
      return List.of("must not be '.'");
    }
    if (value.equals("..")) {
      return List.of("must not be '..'");
    }
    if (value.startsWith("..")) {
      return List.of("must not start with '..'");
    }
    return List.of();
  }
}
