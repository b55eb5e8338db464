package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of a Linux process from {@code /proc/<pid>}: resident set size now and at its peak, thread count and
 * CPU time spent (user + system, in clock ticks).
 *
 * @param residentKilobytes VmRSS
 * @param peakResidentKilobytes VmHWM (high-water mark of the resident set)
 * @param threads number of threads
 * @param cpuTicks utime + stime in clock ticks (see {@link #CLOCK_TICKS_PER_SECOND})
 */
record ProcessSample(long residentKilobytes, long peakResidentKilobytes, int threads, long cpuTicks) {

  /** USER_HZ: 100 on every Linux architecture this runs on (the kernel reports /proc times in these units). */
  static final int CLOCK_TICKS_PER_SECOND = 100;

  static ProcessSample read(long pid) throws IOException {
    Path directory = Path.of("/proc", Long.toString(pid));
    return parse(Files.readString(directory.resolve("status")), Files.readString(directory.resolve("stat")));
  }

  /** Parses the texts of {@code /proc/<pid>/status} and {@code /proc/<pid>/stat}. */
  static ProcessSample parse(String status, String stat) {
    requireNonNull(status, "status is null");
    requireNonNull(stat, "stat is null");
    return new ProcessSample(statusKilobytes(status, "VmRSS"), statusKilobytes(status, "VmHWM"),
        (int) statusNumber(status, "Threads"), cpuTicks(stat));
  }

  double residentMegabytes() {
    return residentKilobytes / 1024.0;
  }

  double peakResidentMegabytes() {
    return peakResidentKilobytes / 1024.0;
  }

  /** CPU used between {@code earlier} and this sample over {@code wallNanos}, in percent of one core. */
  double cpuPercentSince(ProcessSample earlier, long wallNanos) {
    double seconds = (cpuTicks - earlier.cpuTicks) / (double) CLOCK_TICKS_PER_SECOND;
    return 100.0 * seconds / (wallNanos / 1e9);
  }

  private static long statusKilobytes(String status, String key) {
    return statusNumber(status, key);
  }

  private static long statusNumber(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        String value = line.substring(key.length() + 1).trim();
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space));
      }
    }
    throw new IllegalArgumentException("no " + key + " in /proc status");
  }

  /** utime (field 14) + stime (field 15); the command (field 2) may contain spaces and parentheses. */
  static long cpuTicks(String stat) {
    String[] fields = fields(stat, 13);
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** cutime (field 16) + cstime (field 17): the CPU of the process' children it has waited for, in clock ticks. */
  static long childrenCpuTicks(String stat) {
    String[] fields = fields(stat, 15);
    return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
  }

  /** The CPU of this JVM's children waited for so far (commands it ran), in milliseconds. */
  static long ownChildrenCpuMillis() throws IOException {
    return childrenCpuTicks(Files.readString(Path.of("/proc/self/stat"))) * 1000 / CLOCK_TICKS_PER_SECOND;
  }

  /** The fields of a stat line from field 3 on, at least {@code minimum} of them. */
  private static String[] fields(String stat, int minimum) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc stat line: " + stat);
    }
    String[] fields = stat.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state), so field n is fields[n - 3]
    if (fields.length < minimum) {
      throw new IllegalArgumentException("short /proc stat line: " + stat);
    }
    return fields;
  }
}
