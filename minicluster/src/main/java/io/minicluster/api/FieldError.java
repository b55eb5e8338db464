package io.minicluster.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;

/**
 * One validation failure, as Kubernetes' field.Error: a field path such as {@code spec.containers[0].image}, a type,
 * the offending value (for Invalid/NotSupported/Duplicate) and a detail.
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** The error types of k8s.io/apimachinery/pkg/util/validation/field, with their messages and cause reasons. */
  public enum Type {
    REQUIRED("Required value", "FieldValueRequired"),
    INVALID("Invalid value", "FieldValueInvalid"),
    NOT_SUPPORTED("Unsupported value", "FieldValueNotSupported"),
    DUPLICATE("Duplicate value", "FieldValueDuplicate"),
    FORBIDDEN("Forbidden", "FieldValueForbidden"),
    TOO_LONG("Too long", "FieldValueTooLong"),
    TOO_MANY("Too many", "FieldValueTooMany"),
    NOT_FOUND("Not found", "FieldValueNotFound"),
    INTERNAL("Internal error", "InternalError");

    private final String message;
    private final String reason;

    Type(String message, String reason) {
      this.message = message;
      this.reason = reason;
    }

    public String message() {
      return message;
    }

    public String reason() {
      return reason;
    }
  }

  public FieldError {
    requireNonNull(type, "type is null");
    requireNonNull(field, "field is null");
    detail = detail == null ? "" : detail;
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, null, detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  public static FieldError notSupported(String field, Object value, Collection<String> supported) {
    StringBuilder detail = new StringBuilder("supported values: ");
    boolean first = true;
    for (String s : supported) {
      detail.append(first ? "" : ", ").append('"').append(s).append('"');
      first = false;
    }
    return new FieldError(Type.NOT_SUPPORTED, field, value, detail.toString());
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(Type.DUPLICATE, field, value, "");
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, null, detail);
  }

  public static FieldError tooLong(String field, Object value, int max) {
    return new FieldError(Type.TOO_LONG, field, value, "may not be more than " + max + " bytes");
  }

  public static FieldError tooMany(String field, int actual, int max) {
    return new FieldError(Type.TOO_MANY, field, actual, "must have at most " + max + " items");
  }

  public static FieldError notFound(String field, Object value) {
    return new FieldError(Type.NOT_FOUND, field, value, "");
  }

  /** The message after the field path, as field.Error.ErrorBody() writes it. */
  public String body() {
    StringBuilder s = new StringBuilder(type.message());
    switch (type) {
      case REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL -> {
        // no value shown
      }
      default -> {
        if (badValue != null) {
          s.append(": ").append(render(badValue));
        }
      }
    }
    if (!detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    return s.toString();
  }

  /** "field: body", as field.Error.Error() writes it. */
  public String message() {
    return field + ": " + body();
  }

  private static String render(Object value) {
    if (value instanceof String string) {
      return quote(string);
    }
    if (value instanceof JsonNode node) {
      return node.isTextual() ? quote(node.asText()) : node.toString();
    }
    return String.valueOf(value);
  }

  /** Go's %q (strconv.Quote): quotes and backslashes escaped, control characters as \n, \t, \x01. */
  private static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    text.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 0x07 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 0x0b -> out.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", c));
          } else if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    });
    return out.append('"').toString();
  }
}
