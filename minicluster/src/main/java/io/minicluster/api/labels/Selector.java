package io.minicluster.api.labels;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.GoText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A label selector with the semantics of k8s.io/apimachinery/pkg/labels: an AND of requirements, sorted by key.
 *
 * <p>Three kinds: {@link #everything()} (no requirements, {@link #isEmpty()}, matches every label set),
 * {@link #nothing()} (matches no label set; what a null metav1.LabelSelector means) and selectors with requirements.
 * {@link #parse} reads the query-parameter syntax ({@code a=b,c!=d,e in (x,y),!f}); {@link #fromObject} reads a
 * metav1.LabelSelector object ({@code matchLabels} and {@code matchExpressions}).
 */
public final class Selector {
  private static final Selector EVERYTHING = new Selector(List.of(), false);
  private static final Selector NOTHING = new Selector(List.of(), true);

  /** The operators of k8s.io/apimachinery/pkg/selection, with how {@link Requirement#toString()} writes them. */
  public enum Operator {
    IN("in"),
    NOT_IN("notin"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    EXISTS("exists"),
    DOES_NOT_EXIST("!"),
    GREATER_THAN("gt"),
    LESS_THAN("lt");

    private final String goName;

    Operator(String goName) {
      this.goName = goName;
    }

    /** The selection.Operator string ("in", "=", "gt", ...). */
    public String goName() {
      return goName;
    }
  }

  /**
   * One requirement: key, operator and values (empty for EXISTS / DOES_NOT_EXIST, one for the equality and
   * comparison operators, at least one for IN / NOT_IN).
   */
  public record Requirement(String key, Operator operator, List<String> values) {
    public Requirement {
      requireNonNull(key, "key is null");
      requireNonNull(operator, "operator is null");
      values = List.copyOf(values);
    }

    /** Whether a label set satisfies this requirement (labels.Requirement.Matches). */
    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      boolean present = value != null || labels.containsKey(key);
      return switch (operator) {
        case IN, EQUALS, DOUBLE_EQUALS -> present && values.contains(value);
        case NOT_IN, NOT_EQUALS -> !present || !values.contains(value);
        case EXISTS -> present;
        case DOES_NOT_EXIST -> !present;
        case GREATER_THAN, LESS_THAN -> present && compare(value);
      };
    }

    private boolean compare(String labelValue) {
      if (values.size() != 1) {
        return false;
      }
      try {
        long actual = Long.parseLong(labelValue);
        long bound = Long.parseLong(values.get(0));
        return operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    /** The requirement in selector syntax, values sorted (labels.Requirement.String). */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      if (operator == Operator.DOES_NOT_EXIST) {
        out.append('!');
      }
      out.append(key);
      switch (operator) {
        case EXISTS, DOES_NOT_EXIST -> {
          return out.toString();
        }
        case EQUALS -> out.append('=');
        case DOUBLE_EQUALS -> out.append("==");
        case NOT_EQUALS -> out.append("!=");
        case IN -> out.append(" in ");
        case NOT_IN -> out.append(" notin ");
        case GREATER_THAN -> out.append('>');
        case LESS_THAN -> out.append('<');
        default -> throw new IllegalStateException("unknown operator " + operator);
      }
      boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
      if (set) {
        out.append('(');
      }
      List<String> sorted = new ArrayList<>(values);
      sorted.sort(Comparator.naturalOrder());
      out.append(String.join(",", sorted));
      if (set) {
        out.append(')');
      }
      return out.toString();
    }
  }

  private final List<Requirement> requirements;
  private final boolean nothing;

  private Selector(List<Requirement> requirements, boolean nothing) {
    List<Requirement> sorted = new ArrayList<>(requirements);
    sorted.sort(Comparator.comparing(Requirement::key)); // stable, as labels sorts ByKey
    this.requirements = List.copyOf(sorted);
    this.nothing = nothing;
  }

  /** Matches every label set. */
  public static Selector everything() {
    return EVERYTHING;
  }

  /** Matches no label set (labels.Nothing(); a null metav1.LabelSelector). */
  public static Selector nothing() {
    return NOTHING;
  }

  /** A selector of the given requirements (validated as labels.NewRequirement does). */
  public static Selector of(List<Requirement> requirements) {
    for (Requirement requirement : requirements) {
      List<String> errors = requirementErrors(requirement.key(), requirement.operator(), requirement.values(), "");
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(aggregate(errors));
      }
    }
    return new Selector(requirements, false);
  }

  /** key=value for every entry (labels.SelectorFromSet); an empty or null map selects everything. No validation. */
  public static Selector fromMap(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    labels.forEach((key, value) -> requirements.add(new Requirement(key, Operator.EQUALS, List.of(value))));
    return new Selector(requirements, false);
  }

  /**
   * Parses the labelSelector query syntax (labels.Parse).
   *
   * @throws ApiException 400 BadRequest with the apiserver's message, e.g. {@code unable to parse requirement:
   *     found 'b', expected: in, notin, =, ==, !=, gt, lt}
   */
  public static Selector parse(String selector) {
    requireNonNull(selector, "selector is null");
    try {
      return new Selector(new LabelSelectorParser(selector).parse(), false);
    } catch (LabelSelectorParser.ParseException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /**
   * A metav1.LabelSelector object (metav1.LabelSelectorAsSelector): null, missing or JSON null selects nothing; an
   * object without matchLabels and matchExpressions selects everything.
   *
   * @throws IllegalArgumentException when an operator, key or value is invalid
   */
  public static Selector fromObject(JsonNode selector) {
    if (selector == null || selector.isNull() || selector.isMissingNode()) {
      return NOTHING;
    }
    if (!selector.isObject()) {
      throw new IllegalArgumentException("label selector is not an object");
    }
    List<Requirement> requirements = new ArrayList<>();
    JsonNode matchLabels = selector.get("matchLabels");
    if (matchLabels != null && matchLabels.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = matchLabels.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        requirements.add(checked(field.getKey(), Operator.EQUALS, List.of(field.getValue().asText())));
      }
    }
    JsonNode matchExpressions = selector.get("matchExpressions");
    if (matchExpressions != null && matchExpressions.isArray()) {
      for (JsonNode expression : matchExpressions) {
        String operatorName = expression.path("operator").asText("");
        Operator operator = switch (operatorName) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default -> throw new IllegalArgumentException(
              GoText.quote(operatorName) + " is not a valid label selector operator");
        };
        List<String> values = new ArrayList<>();
        for (JsonNode value : expression.path("values")) {
          values.add(value.asText());
        }
        requirements.add(checked(expression.path("key").asText(""), operator, values));
      }
    }
    if (requirements.isEmpty()) {
      return EVERYTHING;
    }
    return new Selector(requirements, false);
  }

  private static Requirement checked(String key, Operator operator, List<String> values) {
    List<String> errors = requirementErrors(key, operator, values, "");
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(aggregate(errors));
    }
    return new Requirement(key, operator, values);
  }

  /** labels.NewRequirement's checks; messages are field errors under the given path prefix ("" for none). */
  static List<String> requirementErrors(String key, Operator operator, List<String> values, String path) {
    List<String> errors = new ArrayList<>();
    List<String> keyErrors = LabelValidation.keyErrors(key);
    if (!keyErrors.isEmpty()) {
      errors.add(invalid(path + "key", key, String.join("; ", keyErrors)));
    }
    String valuesPath = path + "values";
    switch (operator) {
      case IN, NOT_IN -> {
        if (values.isEmpty()) {
          errors.add(invalid(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"));
        }
      }
      case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
        if (values.size() != 1) {
          errors.add(invalid(valuesPath, values, "exact-match compatibility requires one single value"));
        }
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (!values.isEmpty()) {
          errors.add(invalid(valuesPath, values, "values set must be empty for exists and does not exist"));
        }
      }
      case GREATER_THAN, LESS_THAN -> {
        if (values.size() != 1) {
          errors.add(invalid(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
        }
        for (int i = 0; i < values.size(); i++) {
          try {
            Long.parseLong(values.get(i));
          } catch (NumberFormatException e) {
            errors.add(invalid(valuesPath + "[" + i + "]", values.get(i),
                "for 'Gt', 'Lt' operators, the value must be an integer"));
          }
        }
      }
      default -> throw new IllegalStateException("unknown operator " + operator);
    }
    for (int i = 0; i < values.size(); i++) {
      List<String> valueErrors = LabelValidation.valueErrors(values.get(i));
      if (!valueErrors.isEmpty()) {
        errors.add(invalid(valuesPath + "[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrors)));
      }
    }
    return errors;
  }

  /** field.Invalid(...).Error(). */
  static String invalid(String path, Object value, String detail) {
    String rendered;
    if (value instanceof String string) {
      rendered = GoText.quote(string);
    } else if (value instanceof List<?> list) {
      List<String> quoted = new ArrayList<>();
      for (Object element : list) {
        quoted.add(GoText.quote(String.valueOf(element)));
      }
      // Go's %#v of a []string; the values slices built by the apiserver are nil when empty
      rendered = quoted.isEmpty() ? "[]string(nil)" : "[]string{" + String.join(", ", quoted) + "}";
    } else {
      rendered = String.valueOf(value);
    }
    return path + ": Invalid value: " + rendered + ": " + detail;
  }

  /** utilerrors.Aggregate.Error(): one message as is, several as "[a, b]" without duplicates. */
  static String aggregate(List<String> errors) {
    Set<String> unique = new LinkedHashSet<>(errors);
    if (unique.size() == 1) {
      return unique.iterator().next();
    }
    return "[" + String.join(", ", unique) + "]";
  }

  /** The requirements, sorted by key; empty for {@link #everything()} and {@link #nothing()}. */
  public List<Requirement> requirements() {
    return requirements;
  }

  /** Whether this selector does not restrict anything (labels.Selector.Empty); false for {@link #nothing()}. */
  public boolean isEmpty() {
    return !nothing && requirements.isEmpty();
  }

  /** Whether this is {@link #nothing()}. */
  public boolean matchesNothing() {
    return nothing;
  }

  /** Whether a label set satisfies every requirement. A null map is treated as empty. */
  public boolean matches(Map<String, String> labels) {
    if (nothing) {
      return false;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    for (Requirement requirement : requirements) {
      if (!requirement.matches(actual)) {
        return false;
      }
    }
    return true;
  }

  /** The labels of an object's {@code metadata.labels} as a map (absent → empty). */
  public static Map<String, String> labelsOf(JsonNode object) {
    JsonNode labels = object == null ? null : object.path("metadata").path("labels");
    if (labels == null || !labels.isObject()) {
      return Map.of();
    }
    Map<String, String> result = new HashMap<>();
    labels.fields().forEachRemaining(entry -> result.put(entry.getKey(), entry.getValue().asText()));
    return result;
  }

  /** Whether the object's metadata.labels satisfy this selector. */
  public boolean matchesObject(JsonNode object) {
    return matches(labelsOf(object));
  }

  /** The single value a key must equal (=, == or in with one value), as labels.Selector.RequiresExactMatch. */
  public Optional<String> requiresExactMatch(String key) {
    for (Requirement requirement : requirements) {
      if (requirement.key().equals(key)) {
        Operator operator = requirement.operator();
        boolean exact = operator == Operator.EQUALS || operator == Operator.DOUBLE_EQUALS || operator == Operator.IN;
        return exact && requirement.values().size() == 1 ? Optional.of(requirement.values().get(0))
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The selector in query syntax; "" for everything and nothing. Parsing it gives an equal selector. */
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
    return other instanceof Selector selector && selector.nothing == nothing
        && selector.requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode() * 31 + (nothing ? 1 : 0);
  }

  /** Sorted, de-duplicated values, as sets.String.List(). */
  static List<String> sortedUnique(Set<String> values) {
    return List.copyOf(new TreeSet<>(values));
  }
}
