package io.minicluster.api.fields;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A field selector with the semantics of k8s.io/apimachinery/pkg/fields: comma-separated terms {@code field=value},
 * {@code field==value} or {@code field!=value}, ANDed. In values, {@code \\}, {@code \,} and {@code \=} escape
 * backslash, comma and equals; an unescaped comma separates terms and an unescaped {@code =} in a value is an error.
 * A field that an object does not have reads as "" (so {@code f!=x} matches it).
 *
 * <p>The field names are not checked here; {@link FieldSets#validate} checks and converts them per resource.
 */
public final class FieldSelector {
  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  public enum Operator {
    EQUALS("="),
    NOT_EQUALS("!=");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** One term; {@code ==} is read as {@link Operator#EQUALS}. */
  public record Requirement(String field, Operator operator, String value) {
    public Requirement {
      requireNonNull(field, "field is null");
      requireNonNull(operator, "operator is null");
      requireNonNull(value, "value is null");
    }

    public boolean matches(Function<String, String> fieldValue) {
      String actual = fieldValue.apply(field);
      boolean equal = value.equals(actual == null ? "" : actual);
      return operator == Operator.EQUALS ? equal : !equal;
    }

    @Override
    public String toString() {
      return field + operator.symbol() + escapeValue(value);
    }
  }

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  /** A selector of the given terms, in the given order. */
  public static FieldSelector of(List<Requirement> requirements) {
    return new FieldSelector(requirements);
  }

  /** field=value for each entry. */
  public static FieldSelector fromMap(Map<String, String> fields) {
    List<Requirement> requirements = new ArrayList<>();
    fields.forEach((field, value) -> requirements.add(new Requirement(field, Operator.EQUALS, value)));
    return new FieldSelector(requirements);
  }

  /**
   * Parses the fieldSelector query syntax (fields.ParseSelector); terms are sorted as strings, as Go does.
   *
   * @throws ApiException 400 BadRequest with the apiserver's message, e.g. {@code invalid selector: 'a'; can't
   *     understand 'a'}
   */
  public static FieldSelector parse(String selector) {
    requireNonNull(selector, "selector is null");
    List<String> terms = splitTerms(selector);
    Collections.sort(terms);
    List<Requirement> requirements = new ArrayList<>();
    for (String term : terms) {
      if (term.isEmpty()) {
        continue;
      }
      int split = -1;
      String operator = null;
      for (int i = 0; i < term.length() && split < 0; i++) {
        for (String candidate : new String[] {"!=", "==", "="}) {
          if (term.startsWith(candidate, i)) {
            split = i;
            operator = candidate;
            break;
          }
        }
      }
      if (split < 0) {
        throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + term + "'");
      }
      String field = term.substring(0, split);
      String value = unescapeValue(term.substring(split + operator.length()));
      requirements.add(new Requirement(field, operator.equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS, value));
    }
    return new FieldSelector(requirements);
  }

  /** Splits at commas not escaped by a backslash; escapes stay in the terms. */
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    if (selector.isEmpty()) {
      return terms;
    }
    int start = 0;
    boolean escaped = false;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',') {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  /** fields.EscapeValue: backslash, comma and equals get a backslash. */
  public static String escapeValue(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == ',' || c == '=') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** fields.UnescapeValue, with its error messages (a rune is printed as its code point, as Go's %v). */
  public static String unescapeValue(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean escaped = false;
    for (int i = 0; i < value.length(); i++) {
      int c = value.codePointAt(i);
      if (Character.charCount(c) == 2) {
        i++;
      }
      if (escaped) {
        if (c != '\\' && c != ',' && c != '=') {
          throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\"
              + new String(Character.toChars(c)));
        }
        out.appendCodePoint(c);
        escaped = false;
        continue;
      }
      if (c == '\\') {
        escaped = true;
      } else if (c == ',' || c == '=') {
        throw ApiException.badRequest("invalid field selector: unescaped character in value: " + c);
      } else {
        out.appendCodePoint(c);
      }
    }
    if (escaped) {
      throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\");
    }
    return out.toString();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /**
   * Whether the fields satisfy every term.
   *
   * @param fieldValue the value of a field, or null for a field the object does not have (read as "")
   */
  public boolean matches(Function<String, String> fieldValue) {
    requireNonNull(fieldValue, "fieldValue is null");
    for (Requirement requirement : requirements) {
      if (!requirement.matches(fieldValue)) {
        return false;
      }
    }
    return true;
  }

  /** {@link #matches(Function)} over a field map. */
  public boolean matches(Map<String, String> fields) {
    return matches(fields::get);
  }

  /** The value a field must equal (a {@code =} term), as fields.Selector.RequiresExactMatch. */
  public Optional<String> requiresExactMatch(String field) {
    for (Requirement requirement : requirements) {
      if (requirement.field().equals(field) && requirement.operator() == Operator.EQUALS) {
        return Optional.of(requirement.value());
      }
    }
    return Optional.empty();
  }

  /** A copy with field names (and values) rewritten, as fields.Selector.Transform. */
  public FieldSelector transform(UnaryOperator<Requirement> function) {
    List<Requirement> transformed = new ArrayList<>();
    for (Requirement requirement : requirements) {
      Requirement next = function.apply(requirement);
      if (!(next.field().isEmpty() && next.value().isEmpty())) {
        transformed.add(next);
      }
    }
    return new FieldSelector(transformed);
  }

  /** The selector in query syntax with escaped values; parsing it gives an equal selector. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement requirement : requirements) {
      parts.add(requirement.toString());
    }
    return String.join(",", parts);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldSelector selector && selector.requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode();
  }
}
