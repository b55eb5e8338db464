package io.minicluster.agent;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion of env values, command and args: {@code $(NAME)} becomes the variable's value
 * when it is defined and stays as written otherwise; {@code $$} escapes a dollar.
 */
public final class Expansion {
  private Expansion() {}

  public static String expand(String input, Map<String, String> variables) {
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 >= input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append(input, i, input.length());
          break;
        }
        String name = input.substring(i + 2, close);
        String value = variables.get(name);
        if (value != null && !name.isEmpty()) {
          out.append(value);
        } else {
          out.append(input, i, close + 1);
        }
        i = close + 1;
      } else {
        out.append(c).append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
