package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule as {@link ProxyRules} writes it, in the form iptables-save (legacy and nft alike) prints it back: the address,
 * interface and protocol options first ({@code -s -d -i -o -p}), then the matches in the order given, then the target;
 * {@code MARK --or-mark M} as {@code --set-xmark M/M} and {@code --xor-mark M} as {@code --set-xmark M/0x0}; {@code
 * REJECT} with its default {@code --reject-with icmp-port-unreachable}; a statistic probability as the kernel keeps it
 * (a fraction of 2^31) with 11 decimals; a comment quoted (and {@code " \ '} escaped) unless it is only letters,
 * digits, '-' and '_'. A full sync compares this form with what is installed to leave a chain alone only when it is
 * exactly what would be written; a rule this does not know how to render is simply never equal, and its chain written.
 */
final class SavedForm {
  private static final List<String> LEADING = List.of("-s", "-d", "-i", "-o", "-p");
  private static final double TWO_TO_31 = 0x80000000L;

  private SavedForm() {}

  /** The iptables-save form of {@code rule} (the text after {@code -A chain}). */
  static String of(String rule) {
    requireNonNull(rule, "rule is null");
    List<String> tokens = tokens(rule);
    String[] leading = new String[LEADING.size()];
    StringBuilder matches = new StringBuilder();
    StringBuilder target = new StringBuilder();
    String match = null;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      boolean negated = token.equals("!") && i + 1 < tokens.size();
      String option = negated ? tokens.get(i + 1) : token;
      int leadingAt = LEADING.indexOf(option);
      if (leadingAt >= 0 && i + (negated ? 2 : 1) < tokens.size()) {
        i += negated ? 2 : 1;
        leading[leadingAt] = (negated ? "! " : "") + option + " " + tokens.get(i);
      } else if (token.equals("-m") && i + 1 < tokens.size()) {
        match = tokens.get(++i);
        matches.append(" -m ").append(match);
      } else if (token.equals("-j") && i + 1 < tokens.size()) {
        target.append(" -j ").append(target(tokens.subList(i + 1, tokens.size())));
        break;
      } else if (token.equals("--comment") && "comment".equals(match) && i + 1 < tokens.size()) {
        matches.append(" --comment ").append(quoted(tokens.get(++i)));
      } else if (token.equals("--probability") && "statistic".equals(match) && i + 1 < tokens.size()) {
        matches.append(" --probability ").append(probability(tokens.get(++i)));
      } else {
        matches.append(' ').append(token);
      }
    }
    StringBuilder out = new StringBuilder(rule.length() + 32);
    for (String option : leading) {
      if (option != null) {
        out.append(' ').append(option);
      }
    }
    out.append(matches).append(target);
    return out.length() == 0 ? "" : out.substring(1);
  }

  /** The rules of a chain in their saved form. */
  static List<String> of(List<String> rules) {
    List<String> saved = new ArrayList<>(rules.size());
    for (String rule : rules) {
      saved.add(of(rule));
    }
    return saved;
  }

  private static String target(List<String> tokens) {
    String name = tokens.get(0);
    List<String> args = tokens.subList(1, tokens.size());
    if (name.equals("MARK") && args.size() == 2 && args.get(0).equals("--or-mark")) {
      return "MARK --set-xmark " + args.get(1) + "/" + args.get(1);
    }
    if (name.equals("MARK") && args.size() == 2 && args.get(0).equals("--xor-mark")) {
      return "MARK --set-xmark " + args.get(1) + "/0x0";
    }
    if (name.equals("REJECT") && args.isEmpty()) {
      return "REJECT --reject-with icmp-port-unreachable";
    }
    return String.join(" ", tokens);
  }

  /** libxt_statistic: kept as round(p * 2^31), printed with %.11f (exactly rounded, as glibc's printf). */
  private static String probability(String text) {
    try {
      long kept = Math.round(Double.parseDouble(text) * TWO_TO_31);
      return new BigDecimal(kept / TWO_TO_31).setScale(11, RoundingMode.HALF_EVEN).toPlainString();
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /** xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with " \ ' escaped. */
  private static String quoted(String value) {
    boolean bare = !value.isEmpty();
    for (int i = 0; i < value.length() && bare; i++) {
      char c = value.charAt(i);
      bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
    if (bare) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == '\'') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  /** Splits a rule as iptables-restore does for our rules: on spaces, a double-quoted string being one token. */
  static List<String> tokens(String rule) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < rule.length(); i++) {
      char c = rule.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          tokens.add(current.toString());
          current.setLength(0);
          any = false;
        }
      } else {
        current.append(c);
        any = true;
      }
    }
    if (any) {
      tokens.add(current.toString());
    }
    return tokens;
  }
}
