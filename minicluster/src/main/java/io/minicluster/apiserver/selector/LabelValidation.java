package io.minicluster.apiserver.selector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Label key and value checks with the apiserver's messages (k8s.io/apimachinery/pkg/api/validate/content: IsLabelKey,
 * IsLabelValue, IsDNS1123Subdomain). Lengths are in bytes, as Go's len().
 */
final class LabelValidation {
  private static final String KEY_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern KEY_NAME = Pattern.compile(KEY_FORMAT);
  private static final String KEY_MESSAGE =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String VALUE_FORMAT = "(" + KEY_FORMAT + ")?";
  private static final Pattern VALUE = Pattern.compile(VALUE_FORMAT);
  private static final String VALUE_MESSAGE = "a valid label must be an empty string or consist of alphanumeric "
      + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String SUBDOMAIN_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FORMAT);
  private static final String SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case "
      + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  static final int MAX_NAME_LENGTH = 63;
  static final int MAX_VALUE_LENGTH = 63;
  static final int MAX_SUBDOMAIN_LENGTH = 253;

  private LabelValidation() {}

  /** Problems with a label key ("[prefix/]name"); empty when valid. */
  static List<String> keyErrors(String key) {
    List<String> errors = new ArrayList<>();
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else {
        for (String message : subdomainErrors(prefix)) {
          errors.add("prefix part " + message);
        }
      }
    } else {
      errors.add("a valid label key " + regexError(KEY_MESSAGE, KEY_FORMAT, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errors;
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (bytes(name) > MAX_NAME_LENGTH) {
      errors.add("name part " + maxLengthError(MAX_NAME_LENGTH));
    }
    if (!KEY_NAME.matcher(name).matches()) {
      errors.add("name part " + regexError(KEY_MESSAGE, KEY_FORMAT, "MyName", "my.name", "123-abc"));
    }
    return errors;
  }

  /** Problems with a label value; empty when valid (the empty string is valid). */
  static List<String> valueErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (bytes(value) > MAX_VALUE_LENGTH) {
      errors.add(maxLengthError(MAX_VALUE_LENGTH));
    }
    if (!VALUE.matcher(value).matches()) {
      errors.add(regexError(VALUE_MESSAGE, VALUE_FORMAT, "MyValue", "my_value", "12345"));
    }
    return errors;
  }

  static List<String> subdomainErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (bytes(value) > MAX_SUBDOMAIN_LENGTH) {
      errors.add(maxLengthError(MAX_SUBDOMAIN_LENGTH));
    }
    if (!SUBDOMAIN.matcher(value).matches()) {
      errors.add(regexError(SUBDOMAIN_MESSAGE, SUBDOMAIN_FORMAT, "example.com"));
    }
    return errors;
  }

  private static int bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String maxLengthError(int length) {
    return "must be no more than " + length + " bytes";
  }

  private static String regexError(String message, String format, String... examples) {
    StringBuilder out = new StringBuilder(message).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        out.append(" or ");
      }
      out.append('\'').append(examples[i]).append("', ");
    }
    return out.append("regex used for validation is '").append(format).append("')").toString();
  }
}
