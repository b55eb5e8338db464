package io.minicluster.controller.job;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;
import java.util.Collection;

/**
 * A set of completion indexes below the Job's completions, as status.completedIndexes writes it (the job controller's
 * orderedIntervals): ascending, runs of three or more as {@code first-last}, e.g. {@code "1,3-5,7"}.
 */
final class CompletionIndexes {
  private final BitSet indexes;

  private CompletionIndexes(BitSet indexes) {
    this.indexes = indexes;
  }

  static CompletionIndexes of(Collection<Integer> indexes) {
    BitSet set = new BitSet();
    indexes.forEach(set::set);
    return new CompletionIndexes(set);
  }

  /**
   * parseIndexesFromString: the indexes below {@code completions} of a list such as "1,3-5"; parts that do not parse
   * or lie beyond are left out, as upstream logs and skips them.
   */
  static CompletionIndexes parse(String text, int completions) {
    requireNonNull(text, "text is null");
    BitSet set = new BitSet();
    if (text.isEmpty()) {
      return new CompletionIndexes(set);
    }
    for (String part : text.split(",")) {
      String[] bounds = part.split("-", -1);
      try {
        int first = Integer.parseInt(bounds[0]);
        int last = bounds.length == 2 ? Integer.parseInt(bounds[1]) : first;
        if (bounds.length > 2 || first < 0 || last < first) {
          continue;
        }
        set.set(first, Math.min(last, completions - 1) + 1);
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        // skipped, as upstream does with an index it cannot read
      }
    }
    return new CompletionIndexes(set);
  }

  /** A completion index annotation's value, or -1 when it is absent or no non-negative number. */
  static int index(String annotation) {
    if (annotation == null || !annotation.matches("[0-9]{1,9}")) {
      return -1;
    }
    return Integer.parseInt(annotation);
  }

  CompletionIndexes with(Collection<Integer> more) {
    BitSet set = (BitSet) indexes.clone();
    more.forEach(set::set);
    return new CompletionIndexes(set);
  }

  boolean has(int index) {
    return index >= 0 && indexes.get(index);
  }

  int total() {
    return indexes.cardinality();
  }

  /** How many of these are among another set. */
  int countIn(CompletionIndexes other) {
    BitSet both = (BitSet) indexes.clone();
    both.and(other.indexes);
    return both.cardinality();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    int first = indexes.nextSetBit(0);
    while (first >= 0) {
      int end = indexes.nextClearBit(first); // exclusive
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(first);
      if (end - first == 2) {
        text.append(',').append(end - 1);
      } else if (end - first > 2) {
        text.append('-').append(end - 1);
      }
      first = indexes.nextSetBit(end);
    }
    return text.toString();
  }
}
