package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.minicluster.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * How the Go implementations see JSON values decoded into {@code interface{}}: value identity (Go's {@code ==} on
 * interface values), type names for error messages and {@code fmt "%v"} rendering. Numbers follow
 * UnmarshalCaseSensitivePreserveInts: integral literals are int64, others float64.
 */
final class GoValues {
  private static final int MAX_FORMAT_DEPTH = 64;
  private static final Object NIL = new Object();

  private GoValues() {}

  /** A key with Go {@code ==} semantics; objects and arrays are never equal to anything (Go would panic). */
  static Object key(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return NIL;
    }
    if (value.isTextual()) {
      return new ScalarKey('s', value.textValue());
    }
    if (value.isBoolean()) {
      return new ScalarKey('b', Boolean.toString(value.booleanValue()));
    }
    if (value.isIntegralNumber()) {
      return new ScalarKey('i', value.bigIntegerValue().toString());
    }
    if (value.isNumber()) {
      return new ScalarKey('f', Double.toString(value.doubleValue()));
    }
    return new Object();
  }

  /** Go {@code ==} of two decoded JSON values. */
  static boolean same(JsonNode left, JsonNode right) {
    return key(left).equals(key(right));
  }

  /** reflect.TypeOf(v).String() of a decoded JSON value. */
  static String typeName(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "<nil>";
    }
    if (value.isObject()) {
      return "map[string]interface {}";
    }
    if (value.isArray()) {
      return "[]interface {}";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return value.isIntegralNumber() ? "int64" : "float64";
  }

  /** fmt.Sprintf("%v", v) of a decoded JSON value (maps print with sorted keys, as Go's fmt does). */
  static String format(JsonNode value) {
    StringBuilder out = new StringBuilder();
    format(value, out, 0);
    return out.toString();
  }

  /** fmt.Sprintf("%v", list) of a list of decoded JSON values. */
  static String format(List<JsonNode> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(' ');
      }
      format(values.get(i), out, 1);
    }
    return out.append(']').toString();
  }

  private static void format(JsonNode value, StringBuilder out, int depth) {
    if (depth > MAX_FORMAT_DEPTH) {
      out.append("...");
      return;
    }
    if (value == null || value.isNull() || value.isMissingNode()) {
      out.append("<nil>");
    } else if (value.isObject()) {
      List<String> names = new ArrayList<>();
      value.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      out.append("map[");
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(' ');
        }
        out.append(names.get(i)).append(':');
        format(value.get(names.get(i)), out, depth + 1);
      }
      out.append(']');
    } else if (value.isArray()) {
      out.append('[');
      Iterator<JsonNode> elements = value.elements();
      boolean first = true;
      while (elements.hasNext()) {
        if (!first) {
          out.append(' ');
        }
        first = false;
        format(elements.next(), out, depth + 1);
      }
      out.append(']');
    } else if (value.isTextual()) {
      out.append(value.textValue());
    } else if (value.isIntegralNumber() || value.isBoolean()) {
      out.append(value.asText());
    } else {
      out.append(formatFloat(value.decimalValue()));
    }
  }

  /**
   * fmt.Sprintf("%#v", v) of a decoded JSON value: Go syntax, strings quoted, maps with sorted keys
   * ({@code map[string]interface {}{"a":"b", "c":1}}), slices as {@code []interface {}{1, 2}}.
   */
  static String formatSharp(JsonNode value) {
    StringBuilder out = new StringBuilder();
    formatSharp(value, out, 0);
    return out.toString();
  }

  private static void formatSharp(JsonNode value, StringBuilder out, int depth) {
    if (depth > MAX_FORMAT_DEPTH) {
      out.append("...");
      return;
    }
    if (value == null || value.isNull() || value.isMissingNode()) {
      out.append("interface {}(nil)");
    } else if (value.isObject()) {
      List<String> names = new ArrayList<>();
      value.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      out.append("map[string]interface {}{");
      for (int i = 0; i < names.size(); i++) {
        out.append(i > 0 ? ", " : "").append(quote(names.get(i))).append(':');
        formatSharp(value.get(names.get(i)), out, depth + 1);
      }
      out.append('}');
    } else if (value.isArray()) {
      out.append("[]interface {}{");
      for (int i = 0; i < value.size(); i++) {
        out.append(i > 0 ? ", " : "");
        formatSharp(value.get(i), out, depth + 1);
      }
      out.append('}');
    } else if (value.isTextual()) {
      out.append(quote(value.textValue()));
    } else {
      format(value, out, depth);
    }
  }

  /** strconv.Quote for the printable text of Kubernetes objects: JSON's escaping. */
  private static String quote(String text) {
    return Json.string(TextNode.valueOf(text));
  }

  /** %v of a float64: shortest representation, exponent form for large and small magnitudes. */
  private static String formatFloat(BigDecimal decimal) {
    double number = decimal.doubleValue();
    if (number == Math.rint(number) && Math.abs(number) < 1e21) {
      return Long.toString((long) number);
    }
    return Double.toString(number);
  }

  private record ScalarKey(char type, String text) {}
}
