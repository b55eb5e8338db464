package io.minicluster.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a command's output against the output a README shows: every non-blank line shown must appear in the output,
 * in the same order (lines not shown are allowed: the README trims). Lines are compared after the same normalisation
 * on both sides, for what differs from run to run: runs of blanks become one space (column widths follow the
 * values), IPv4 addresses, kubectl ages ({@code 4s}, {@code 2m10s}) and the random parts of generated names (the
 * five-character suffix of {@code telescope-x7k2p}, the pod-template hash of {@code telescope-5844b59586-bd7rp}).
 * {@code ...} in a shown line stands for any text.
 */
final class ExpectedOutput {
  /** The characters of Kubernetes' random name suffixes and template hashes (k8s.io/apimachinery/pkg/util/rand). */
  private static final String ALPHANUMS = "[bcdfghjklmnpqrstvwxz2456789]";
  private static final Pattern HASH_AND_SUFFIX = Pattern.compile("-" + ALPHANUMS + "{6,10}-" + ALPHANUMS + "{5}\\b");
  private static final Pattern SUFFIX = Pattern.compile("(?<=[a-z0-9])-" + ALPHANUMS + "{5}\\b");
  private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b");
  private static final Pattern AGE = Pattern.compile("\\b\\d+(?:s|m|h|d|y)(?:\\d+(?:s|m|h))?\\b");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final String ANY = "...";

  private ExpectedOutput() {}

  /** One line with what varies between runs replaced by placeholders. */
  static String normalize(String line) {
    String text = BLANKS.matcher(line.strip()).replaceAll(" ");
    text = HASH_AND_SUFFIX.matcher(text).replaceAll("-<hash>-<suffix>");
    text = SUFFIX.matcher(text).replaceAll("-<suffix>");
    text = IPV4.matcher(text).replaceAll("<ip>");
    return AGE.matcher(text).replaceAll("<age>");
  }

  /** The pattern a shown line stands for. */
  static Pattern pattern(String shown) {
    String normalized = normalize(shown);
    List<String> parts = new ArrayList<>();
    int from = 0;
    int at;
    while ((at = normalized.indexOf(ANY, from)) >= 0) {
      parts.add(Pattern.quote(normalized.substring(from, at)));
      from = at + ANY.length();
    }
    parts.add(Pattern.quote(normalized.substring(from)));
    return Pattern.compile(String.join(".*", parts));
  }

  /**
   * The first shown line that is missing from {@code output} (in order), with the lines of the output compared
   * against it; empty when every shown line is there.
   */
  static Optional<String> firstMissing(List<String> shown, String output) {
    // lines() also ends a line at a lone carriage return (progress meters)
    List<String> actual = output.lines().map(ExpectedOutput::normalize).toList();
    int next = 0;
    for (String line : shown) {
      if (line.isBlank()) {
        continue;
      }
      Pattern pattern = pattern(line);
      int found = -1;
      for (int index = next; index < actual.size(); index++) {
        if (pattern.matcher(actual.get(index)).matches()) {
          found = index;
          break;
        }
      }
      if (found < 0) {
        return Optional.of("\"" + line + "\" (normalized: \"" + normalize(line) + "\") is not in the output after "
            + "line " + next + " (normalized output: " + actual + ")");
      }
      next = found + 1;
    }
    return Optional.empty();
  }
}
