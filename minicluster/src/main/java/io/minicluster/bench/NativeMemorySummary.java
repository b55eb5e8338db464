package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The committed memory per category of {@code jcmd <pid> VM.native_memory summary} (Native Memory Tracking), to show
 * where a JVM's resident memory goes.
 *
 * @param totalCommittedKilobytes the "Total: ... committed=" figure
 * @param committedKilobytes committed kilobytes per category ("Java Heap", "Thread", "Class", ...)
 * @param threads the thread count NMT reports (0 if absent)
 */
record NativeMemorySummary(long totalCommittedKilobytes, Map<String, Long> committedKilobytes, int threads) {

  private static final Pattern TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final Pattern CATEGORY =
      Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
  private static final Pattern THREADS = Pattern.compile("\\(thread #(\\d+)\\)");

  NativeMemorySummary {
    committedKilobytes = Map.copyOf(requireNonNull(committedKilobytes, "committedKilobytes is null"));
  }

  static NativeMemorySummary parse(String output) {
    requireNonNull(output, "output is null");
    long total = -1;
    Map<String, Long> categories = new LinkedHashMap<>();
    int threads = 0;
    for (String raw : output.split("\n")) {
      String line = raw.strip();
      Matcher totalMatch = TOTAL.matcher(line);
      if (totalMatch.find()) {
        total = Long.parseLong(totalMatch.group(2));
        continue;
      }
      Matcher category = CATEGORY.matcher(line);
      if (category.find()) {
        categories.put(category.group(1).strip(), Long.parseLong(category.group(3)));
        continue;
      }
      Matcher threadMatch = THREADS.matcher(line);
      if (threadMatch.find()) {
        threads = Integer.parseInt(threadMatch.group(1));
      }
    }
    if (total < 0) {
      throw new IllegalArgumentException("no NMT summary (is -XX:NativeMemoryTracking=summary set?): " + output);
    }
    return new NativeMemorySummary(total, categories, threads);
  }

  /** The {@code count} largest categories by committed memory, largest first. */
  List<Map.Entry<String, Long>> top(int count) {
    return committedKilobytes.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry::getKey))
        .limit(count)
        .toList();
  }
}
