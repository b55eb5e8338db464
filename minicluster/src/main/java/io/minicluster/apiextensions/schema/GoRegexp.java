package io.minicluster.apiextensions.schema;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A CRD schema's {@code pattern} as the apiserver reads it: Go's regexp (RE2) syntax, run on java.util.regex. The
 * syntax Go refuses (lookaround, atomic groups, backreferences, possessive quantifiers, Java-only escapes such as
 * {@code \Z} or {@code \R}) is refused with Go's "error parsing regexp" message, and what both accept with different
 * meanings is translated: {@code $} is the end of the text outside multi-line mode (Java also matches before a final
 * newline), {@code \s} is {@code [\t\n\f\r ]}, {@code \v} is the vertical tab, {@code .} stops only at {@code \n},
 * POSIX classes ({@code [[:alpha:]]}) are classes, {@code [} and {@code &&} inside a class are characters, a brace
 * that starts no repetition is a literal, and named groups ({@code (?P<n>…)}, {@code (?<n>…)}) are groups.
 * Ungreedy mode ({@code (?U)}) is not translated.
 */
final class GoRegexp {
  /** Go's regexp/syntax error: "error parsing regexp: CODE: `EXPR`". */
  static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String code, String expression) {
      super("error parsing regexp: " + code + ": `" + expression + "`");
    }
  }

  private static final String SPACE = "\\t\\n\\f\\r ";
  private static final Map<String, String> POSIX = Map.ofEntries(Map.entry("alnum", "Alnum"),
      Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"), Map.entry("blank", "Blank"),
      Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"), Map.entry("graph", "Graph"),
      Map.entry("lower", "Lower"), Map.entry("print", "Print"), Map.entry("punct", "Punct"),
      Map.entry("space", "Space"), Map.entry("upper", "Upper"), Map.entry("word", "Word"),
      Map.entry("xdigit", "XDigit"));
  private static final int MAX_REPEAT = 1000;

  private final String source;
  private final StringBuilder out = new StringBuilder();
  private int at;
  /** Multi-line mode, per open group (a flag group without a colon changes the innermost). */
  private final Deque<Boolean> multiline = new ArrayDeque<>();

  private GoRegexp(String source) {
    this.source = source;
    multiline.push(false);
  }

  /** The pattern, or the SyntaxError Go's regexp.Compile gives. */
  static Pattern compile(String expression) {
    String translated = translate(expression);
    try {
      return Pattern.compile(translated, Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
    } catch (PatternSyntaxException e) {
      throw new SyntaxError(e.getDescription(), expression);
    }
  }

  /** The java.util.regex form of a Go expression. */
  static String translate(String expression) {
    GoRegexp parser = new GoRegexp(requireNonNull(expression, "expression is null"));
    parser.run();
    return parser.out.toString();
  }

  private void run() {
    boolean repeatable = false;
    while (at < source.length()) {
      char c = source.charAt(at);
      switch (c) {
        case '\\' -> {
          escape(false);
          repeatable = true;
        }
        case '[' -> {
          characterClass();
          repeatable = true;
        }
        case '(' -> {
          group();
          repeatable = false;
        }
        case ')' -> {
          if (multiline.size() > 1) {
            multiline.pop();
          }
          out.append(c);
          at++;
          repeatable = true;
        }
        case '$' -> {
          out.append(Boolean.TRUE.equals(multiline.peek()) ? "$" : "\\z");
          at++;
          repeatable = true;
        }
        case '*', '+', '?' -> {
          repetition(repeatable, 1);
          repeatable = false;
        }
        case '{' -> {
          int end = repeatEnd(at);
          if (end < 0) {
            out.append("\\{");
            at++;
            repeatable = true;
          } else {
            repetition(repeatable, end - at);
            repeatable = false;
          }
        }
        default -> {
          out.append(c);
          at++;
          repeatable = c != '|';
        }
      }
    }
  }

  /** A quantifier of {@code length} characters at {@link #at}, its lazy {@code ?}, and no second quantifier. */
  private void repetition(boolean repeatable, int length) {
    int start = at;
    String operator = source.substring(at, at + length);
    if (!repeatable) {
      throw new SyntaxError("missing argument to repetition operator", operator);
    }
    at += length;
    if (at < source.length() && source.charAt(at) == '?') {
      at++;
    }
    out.append(source, start, at);
    if (at < source.length()) {
      char next = source.charAt(at);
      if (next == '*' || next == '+' || next == '?' || (next == '{' && repeatEnd(at) >= 0)) {
        int end = next == '{' ? repeatEnd(at) : at + 1;
        throw new SyntaxError("invalid nested repetition operator", source.substring(start, end));
      }
    }
  }

  /** The index after {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code from}, or -1 when it is none (a literal). */
  private int repeatEnd(int from) {
    int i = from + 1;
    int digits = i;
    while (i < source.length() && Character.isDigit(source.charAt(i))) {
      i++;
    }
    if (i == digits || i >= source.length()) {
      return -1;
    }
    int min = parseCount(source.substring(digits, i));
    int max = min;
    if (source.charAt(i) == ',') {
      i++;
      int second = i;
      while (i < source.length() && Character.isDigit(source.charAt(i))) {
        i++;
      }
      max = i == second ? -1 : parseCount(source.substring(second, i));
    }
    if (i >= source.length() || source.charAt(i) != '}') {
      return -1;
    }
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) {
      throw new SyntaxError("invalid repeat count", source.substring(from, i + 1));
    }
    return i + 1;
  }

  private static int parseCount(String digits) {
    return digits.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(digits);
  }

  /** A group opening: plain, non-capturing, named, or flags; lookaround and the like are refused as Go does. */
  private void group() {
    if (!source.startsWith("(?", at)) {
      multiline.push(multiline.peek());
      out.append('(');
      at++;
      return;
    }
    String rest = source.substring(at);
    if (rest.startsWith("(?P<") || (rest.startsWith("(?<") && rest.length() > 3)) {
      int end = rest.indexOf('>');
      int nameStart = rest.startsWith("(?P<") ? 4 : 3;
      if (end < 0) {
        throw new SyntaxError("invalid named capture", rest);
      }
      String name = rest.substring(nameStart, end);
      if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
        throw new SyntaxError("invalid named capture", rest.substring(0, end + 1));
      }
      multiline.push(multiline.peek());
      out.append('(');
      at += end + 1;
      return;
    }
    // flags: (?flags) or (?flags:re), flags from i m s U with one optional '-'
    boolean multi = Boolean.TRUE.equals(multiline.peek());
    boolean negated = false;
    boolean any = false;
    int i = at + 2;
    while (i < source.length()) {
      char c = source.charAt(i);
      switch (c) {
        case 'i', 's', 'U' -> any = true;
        case 'm' -> {
          multi = !negated;
          any = true;
        }
        case '-' -> {
          if (negated) {
            throw perlSyntax(i);
          }
          negated = true;
          any = false;
        }
        case ':', ')' -> {
          if (negated && !any) {
            throw perlSyntax(i);
          }
          out.append(source, at, i + 1);
          if (c == ':') {
            multiline.push(multi);
          } else {
            multiline.pop();
            multiline.push(multi);
          }
          at = i + 1;
          return;
        }
        default -> throw perlSyntax(i);
      }
      i++;
    }
    throw new SyntaxError("missing closing )", source.substring(at));
  }

  private SyntaxError perlSyntax(int upTo) {
    return new SyntaxError("invalid or unsupported Perl syntax", source.substring(at, Math.min(upTo + 1,
        source.length())));
  }

  /** An escape at {@link #at}, outside or inside a class. */
  private void escape(boolean inClass) {
    if (at + 1 >= source.length()) {
      throw new SyntaxError("trailing backslash at end of expression", "");
    }
    char c = source.charAt(at + 1);
    switch (c) {
      case 'a', 'f', 't', 'n', 'r', 'd', 'D', 'w', 'W' -> {
        out.append('\\').append(c == 'a' ? "x07" : String.valueOf(c));
        at += 2;
      }
      case 'v' -> {
        out.append("\\x0B");
        at += 2;
      }
      case 's' -> {
        out.append(inClass ? SPACE : "[" + SPACE + "]");
        at += 2;
      }
      case 'S' -> {
        out.append("[^" + SPACE + "]");
        at += 2;
      }
      case 'b', 'B', 'A', 'z' -> {
        if (inClass) {
          throw new SyntaxError("invalid escape sequence", "\\" + c);
        }
        out.append('\\').append(c);
        at += 2;
      }
      case 'x' -> hex();
      case 'p', 'P' -> unicodeClass(c);
      case 'Q' -> {
        int end = source.indexOf("\\E", at + 2);
        String literal = source.substring(at + 2, end < 0 ? source.length() : end);
        for (char l : literal.toCharArray()) {
          out.append(Character.isLetterOrDigit(l) || l == ' ' ? String.valueOf(l) : "\\" + l);
        }
        at = end < 0 ? source.length() : end + 2;
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> octal(c);
      default -> {
        if (c < 0x80 && !Character.isLetterOrDigit(c)) {
          out.append('\\').append(c);
          at += 2;
        } else {
          throw new SyntaxError("invalid escape sequence", source.substring(at, at + 2));
        }
      }
    }
  }

  /** {@code \x7F} or {@code \x{10FFFF}}. */
  private void hex() {
    int start = at;
    String rest = source.substring(at + 2);
    if (rest.startsWith("{")) {
      int end = rest.indexOf('}');
      String digits = end < 0 ? "" : rest.substring(1, end);
      if (digits.isEmpty() || !digits.chars().allMatch(ch -> Character.digit(ch, 16) >= 0) || digits.length() > 8
          || Long.parseLong(digits, 16) > Character.MAX_CODE_POINT) {
        throw new SyntaxError("invalid escape sequence", source.substring(start, end < 0 ? source.length()
            : at + 2 + end + 1));
      }
      out.append("\\x{").append(digits).append('}');
      at += 2 + end + 1;
      return;
    }
    if (rest.length() < 2 || Character.digit(rest.charAt(0), 16) < 0 || Character.digit(rest.charAt(1), 16) < 0) {
      throw new SyntaxError("invalid escape sequence", source.substring(start, Math.min(source.length(), at + 4)));
    }
    out.append("\\x").append(rest, 0, 2);
    at += 4;
  }

  /** Octal {@code \0}, {@code \12}, {@code \123}; a lone {@code \1}–{@code \7} is a backreference Go refuses. */
  private void octal(char first) {
    int i = at + 2;
    if (first != '0' && (i >= source.length() || source.charAt(i) < '0' || source.charAt(i) > '7')) {
      throw new SyntaxError("invalid escape sequence", source.substring(at, at + 2));
    }
    int end = i;
    while (end < source.length() && end < at + 4 && source.charAt(end) >= '0' && source.charAt(end) <= '7') {
      end++;
    }
    int value = Integer.parseInt(source.substring(at + 1, end), 8);
    out.append(String.format("\\x{%x}", value));
    at = end;
  }

  /** {@code \pL}, {@code \p{Greek}}, {@code \p{^Greek}}: categories as they are, scripts with Java's Is prefix. */
  private void unicodeClass(char p) {
    int start = at;
    String name;
    if (at + 2 < source.length() && source.charAt(at + 2) == '{') {
      int end = source.indexOf('}', at + 3);
      if (end < 0) {
        throw new SyntaxError("invalid character class range", source.substring(start));
      }
      name = source.substring(at + 3, end);
      at = end + 1;
    } else if (at + 2 < source.length()) {
      name = String.valueOf(source.charAt(at + 2));
      at += 3;
    } else {
      throw new SyntaxError("invalid character class range", source.substring(start));
    }
    boolean negate = p == 'P';
    if (name.startsWith("^")) {
      negate = !negate;
      name = name.substring(1);
    }
    String translated;
    if (name.equals("Any")) {
      translated = negate ? "[^\\x{0}-\\x{10FFFF}]" : "[\\x{0}-\\x{10FFFF}]";
    } else {
      // one- and two-letter names are general categories, longer ones scripts
      translated = (negate ? "\\P{" : "\\p{") + (name.length() <= 2 ? name : "Is" + name) + "}";
    }
    try {
      Pattern.compile(translated);
    } catch (PatternSyntaxException e) {
      throw new SyntaxError("invalid character class range", source.substring(start, at));
    }
    out.append(translated);
  }

  /** A bracket expression: Go's characters only, POSIX classes translated. */
  private void characterClass() {
    int start = at;
    out.append('[');
    at++;
    if (at < source.length() && source.charAt(at) == '^') {
      out.append('^');
      at++;
    }
    boolean first = true;
    while (at < source.length()) {
      char c = source.charAt(at);
      if (c == ']' && !first) {
        out.append(']');
        at++;
        return;
      }
      first = false;
      if (c == '[' && source.startsWith("[:", at)) {
        int end = source.indexOf(":]", at + 2);
        if (end >= 0) {
          String name = source.substring(at + 2, end);
          boolean negate = name.startsWith("^");
          String javaName = POSIX.get(negate ? name.substring(1) : name);
          if (javaName == null) {
            throw new SyntaxError("invalid character class range", source.substring(at, end + 2));
          }
          out.append(javaName.equals("Word") ? (negate ? "\\W" : "\\w")
              : (negate ? "\\P{" : "\\p{") + javaName + "}");
          at = end + 2;
          continue;
        }
      }
      if (c == '\\') {
        escape(true);
      } else if (c == '[' || c == '&' || c == ']') {
        out.append('\\').append(c);
        at++;
      } else {
        out.append(c);
        at++;
      }
    }
    throw new SyntaxError("missing closing ]", source.substring(start));
  }
}
