package io.minicluster.config;

import java.util.Locale;

/** "did you mean" hints for unknown keys. */
final class Suggestions {
  private Suggestions() {}

  /** {@code  (did you mean "api-port"?)}, or a hint on what to do, for a key that is not a setting. */
  static String forUnknownKey(String name) {
    String bare = name.startsWith("--") ? name.substring(2) : name;
    if (bare.equals("no-node-agent")) {
      return " (did you mean \"node-agent: false\"?)";
    }
    if (!bare.equals(name) && ConfigKey.byKey(bare) != null) {
      return " (did you mean \"" + bare + "\"? keys have no leading dashes)";
    }
    ConfigKey best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ConfigKey key : ConfigKey.values()) {
      int distance = distance(bare.toLowerCase(Locale.ROOT).replace('_', '-'), key.key());
      if (distance < bestDistance) {
        best = key;
        bestDistance = distance;
      }
    }
    if (best != null && bestDistance <= Math.max(2, best.key().length() / 3)) {
      return " (did you mean \"" + best.key() + "\"?)";
    }
    return ": remove it (`minicluster server --help` lists the settings; keys are the flags without dashes)";
  }

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
