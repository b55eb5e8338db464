package io.minicluster.api.labels;

import io.minicluster.api.labels.Selector.Operator;
import io.minicluster.api.labels.Selector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The label selector lexer and recursive-descent parser, token for token as k8s.io/apimachinery/pkg/labels (so that
 * accepted inputs and error messages are the same). Whitespace separates tokens; "in" and "notin" are keywords
 * only where an operator is expected.
 */
final class LabelSelectorParser {

  /** A parse failure; the message is the apiserver's. */
  static final class ParseException extends Exception {
    ParseException(String message) {
      super(message);
    }
  }

  enum Token {
    ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
    LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
  }

  private record Item(Token token, String literal) {}

  private static final Map<String, Token> LITERAL_TOKENS = Map.ofEntries(
      Map.entry(")", Token.CLOSED_PAR), Map.entry(",", Token.COMMA), Map.entry("!", Token.DOES_NOT_EXIST),
      Map.entry("==", Token.DOUBLE_EQUALS), Map.entry("=", Token.EQUALS), Map.entry(">", Token.GREATER_THAN),
      Map.entry("in", Token.IN), Map.entry("<", Token.LESS_THAN), Map.entry("!=", Token.NOT_EQUALS),
      Map.entry("notin", Token.NOT_IN), Map.entry("(", Token.OPEN_PAR));

  private final String input;
  private int position;
  private final List<Item> items = new ArrayList<>();
  private int next;

  LabelSelectorParser(String input) {
    this.input = input;
  }

  // ---- lexer ----

  private char read() {
    if (position < input.length()) {
      return input.charAt(position++);
    }
    return 0; // the end of input reads as NUL, like a NUL character in the input (as the Go lexer)
  }

  private void unread() {
    position--;
  }

  private static boolean whitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean special(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
  }

  private Item lex() {
    char c = read();
    while (whitespace(c)) {
      c = read();
    }
    if (c == 0) {
      return new Item(Token.END_OF_STRING, "");
    }
    unread();
    return special(c) ? scanSpecial() : scanIdentifierOrKeyword();
  }

  private Item scanIdentifierOrKeyword() {
    StringBuilder buffer = new StringBuilder();
    while (true) {
      char c = read();
      if (c == 0) {
        break;
      }
      if (special(c) || whitespace(c)) {
        unread();
        break;
      }
      buffer.append(c);
    }
    String literal = buffer.toString();
    Token keyword = LITERAL_TOKENS.get(literal);
    return keyword != null ? new Item(keyword, literal) : new Item(Token.IDENTIFIER, literal);
  }

  private Item scanSpecial() {
    StringBuilder buffer = new StringBuilder();
    Item last = null;
    while (true) {
      char c = read();
      if (c == 0) {
        break;
      }
      if (!special(c)) {
        unread();
        break;
      }
      buffer.append(c);
      Token token = LITERAL_TOKENS.get(buffer.toString());
      if (token != null) {
        last = new Item(token, buffer.toString());
      } else if (last != null) {
        unread();
        break;
      }
    }
    if (last == null) {
      return new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
    }
    return last;
  }

  // ---- parser ----

  private static Token inContext(Token token, boolean values) {
    return values && (token == Token.IN || token == Token.NOT_IN) ? Token.IDENTIFIER : token;
  }

  private Item lookahead(boolean values) {
    Item item = items.get(next);
    return new Item(inContext(item.token(), values), item.literal());
  }

  private Item consume(boolean values) {
    Item item = items.get(next++);
    return new Item(inContext(item.token(), values), item.literal());
  }

  List<Requirement> parse() throws ParseException {
    while (true) {
      Item item = lex();
      items.add(item);
      if (item.token() == Token.END_OF_STRING) {
        break;
      }
    }
    List<Requirement> requirements = new ArrayList<>();
    while (true) {
      Item item = lookahead(true);
      switch (item.token()) {
        case IDENTIFIER, DOES_NOT_EXIST -> {
          try {
            requirements.add(parseRequirement());
          } catch (ParseException e) {
            throw new ParseException("unable to parse requirement: " + e.getMessage());
          }
          Item after = consume(true);
          switch (after.token()) {
            case END_OF_STRING -> {
              return requirements;
            }
            case COMMA -> {
              Item following = lookahead(true);
              if (following.token() != Token.IDENTIFIER && following.token() != Token.DOES_NOT_EXIST) {
                throw new ParseException("found '" + following.literal() + "', expected: identifier after ','");
              }
            }
            default -> throw new ParseException(
                "found '" + after.literal() + "', expected: ',' or 'end of string'");
          }
        }
        case END_OF_STRING -> {
          return requirements;
        }
        default -> throw new ParseException(
            "found '" + item.literal() + "', expected: !, identifier, or 'end of string'");
      }
    }
  }

  private Requirement parseRequirement() throws ParseException {
    Operator operator = null;
    Item item = consume(true);
    if (item.token() == Token.DOES_NOT_EXIST) {
      operator = Operator.DOES_NOT_EXIST;
      item = consume(true);
    }
    if (item.token() != Token.IDENTIFIER) {
      throw new ParseException("found '" + item.literal() + "', expected: identifier");
    }
    String key = item.literal();
    List<String> keyErrors = LabelValidation.keyErrors(key);
    if (!keyErrors.isEmpty()) {
      // the parser validates the key with a nil field path, which Go prints as "<nil>"
      throw new ParseException(Selector.invalid("<nil>", key, String.join("; ", keyErrors)));
    }
    Token following = lookahead(true).token();
    if ((following == Token.END_OF_STRING || following == Token.COMMA) && operator != Operator.DOES_NOT_EXIST) {
      operator = Operator.EXISTS;
    }
    if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
      return newRequirement(key, operator, List.of());
    }
    operator = parseOperator();
    Set<String> values = switch (operator) {
      case IN, NOT_IN -> parseValues();
      default -> parseExactValue();
    };
    return newRequirement(key, operator, Selector.sortedUnique(values));
  }

  private static Requirement newRequirement(String key, Operator operator, List<String> values)
      throws ParseException {
    List<String> errors = Selector.requirementErrors(key, operator, values, "");
    if (!errors.isEmpty()) {
      throw new ParseException(Selector.aggregate(errors));
    }
    return new Requirement(key, operator, values);
  }

  private Operator parseOperator() throws ParseException {
    Item item = consume(false);
    return switch (item.token()) {
      case IN -> Operator.IN;
      case EQUALS -> Operator.EQUALS;
      case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
      case GREATER_THAN -> Operator.GREATER_THAN;
      case LESS_THAN -> Operator.LESS_THAN;
      case NOT_IN -> Operator.NOT_IN;
      case NOT_EQUALS -> Operator.NOT_EQUALS;
      default -> throw new ParseException(
          "found '" + item.literal() + "', expected: in, notin, =, ==, !=, gt, lt");
    };
  }

  private Set<String> parseValues() throws ParseException {
    Item item = consume(true);
    if (item.token() != Token.OPEN_PAR) {
      throw new ParseException("found '" + item.literal() + "' expected: '('");
    }
    Item first = lookahead(true);
    switch (first.token()) {
      case IDENTIFIER, COMMA -> {
        Set<String> values = parseIdentifierList();
        Item closing = consume(true);
        if (closing.token() != Token.CLOSED_PAR) {
          throw new ParseException("found '" + first.literal() + "', expected: ')'");
        }
        return values;
      }
      case CLOSED_PAR -> {
        consume(true);
        Set<String> values = new LinkedHashSet<>();
        values.add("");
        return values;
      }
      default -> throw new ParseException(
          "found '" + first.literal() + "', expected: ',', ')' or identifier");
    }
  }

  private Set<String> parseIdentifierList() throws ParseException {
    Set<String> values = new LinkedHashSet<>();
    while (true) {
      Item item = consume(true);
      switch (item.token()) {
        case IDENTIFIER -> {
          values.add(item.literal());
          Item following = lookahead(true);
          if (following.token() == Token.CLOSED_PAR) {
            return values;
          }
          if (following.token() != Token.COMMA) {
            throw new ParseException("found '" + following.literal() + "', expected: ',' or ')'");
          }
        }
        case COMMA -> {
          if (values.isEmpty()) {
            values.add(""); // "(,"
          }
          Token following = lookahead(true).token();
          if (following == Token.CLOSED_PAR) {
            values.add(""); // ",)"
            return values;
          }
          if (following == Token.COMMA) {
            values.add(""); // ",,"
          }
        }
        default -> throw new ParseException("found '" + item.literal() + "', expected: ',', or identifier");
      }
    }
  }

  private Set<String> parseExactValue() throws ParseException {
    Set<String> values = new LinkedHashSet<>();
    Token following = lookahead(true).token();
    if (following == Token.END_OF_STRING || following == Token.COMMA) {
      values.add("");
      return values;
    }
    Item item = consume(true);
    if (item.token() == Token.IDENTIFIER) {
      values.add(item.literal());
      return values;
    }
    throw new ParseException("found '" + item.literal() + "', expected: identifier");
  }
}
