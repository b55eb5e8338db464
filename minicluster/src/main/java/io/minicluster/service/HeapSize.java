package io.minicluster.service;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The daemon's maximum heap, chosen from the machine's memory: a quarter of it (the memory limit of its cgroup when
 * lower than the machine's), within 128 MiB and 1 GiB. The daemon holds about 25 KiB of heap per stored pod (issue 15:
 * 119 MB with 4,000 pending pods and their events), so 128 MiB serves some 4,000 pods and 1 GiB more than 10,000 with
 * room for lists and watches; the serial collector grows the heap only as far as it is used, so a larger maximum costs
 * nothing until the objects are there, and a quarter leaves the machine to the containers. {@value #VARIABLE} (a
 * {@code -Xmx} size such as {@code 512m}) overrides the choice. The packaged wrapper's {@code heap-size} script makes the
 * same choice.
 */
public final class HeapSize {
  public static final String VARIABLE = "MINICLUSTER_HEAP";
  static final long MIB = 1024 * 1024;
  public static final long MIN_BYTES = 128 * MIB;
  public static final long MAX_BYTES = 1024 * MIB;
  private static final Pattern SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

  private HeapSize() {}

  /** A quarter of {@code memoryBytes} in whole MiB, within [{@link #MIN_BYTES}, {@link #MAX_BYTES}]. */
  public static long forMachine(long memoryBytes) {
    long quarter = memoryBytes / 4 / MIB * MIB;
    return Math.max(MIN_BYTES, Math.min(MAX_BYTES, quarter));
  }

  /** The {@code -Xmx} option for this machine: {@value #VARIABLE} when set, else from /proc/meminfo and the cgroup. */
  public static String option(Map<String, String> environment) {
    return option(environment, Path.of("/proc/meminfo"), Path.of("/sys/fs/cgroup"));
  }

  static String option(Map<String, String> environment, Path meminfo, Path cgroupRoot) {
    String configured = environment.get(VARIABLE);
    if (configured != null && !configured.isBlank()) {
      if (!SIZE.matcher(configured.trim()).matches()) {
        throw new IllegalArgumentException(VARIABLE + " is a heap size such as 512m or 1g: " + configured);
      }
      return "-Xmx" + configured.trim();
    }
    OptionalLong memory = memory(meminfo, cgroupRoot);
    long heap = memory.isPresent() ? forMachine(memory.getAsLong()) : MIN_BYTES;
    return "-Xmx" + heap / MIB + "m";
  }

  /** The memory this process may use: MemTotal, or its cgroup's limit (v2 memory.max, v1) when lower. */
  static OptionalLong memory(Path meminfo, Path cgroupRoot) {
    requireNonNull(meminfo, "meminfo is null");
    requireNonNull(cgroupRoot, "cgroupRoot is null");
    OptionalLong total = memTotal(meminfo);
    OptionalLong limit = firstNumber(cgroupRoot.resolve("memory.max"));
    if (limit.isEmpty()) {
      limit = firstNumber(cgroupRoot.resolve("memory/memory.limit_in_bytes"));
    }
    if (total.isEmpty()) {
      return limit;
    }
    if (limit.isPresent() && limit.getAsLong() < total.getAsLong()) {
      return limit;
    }
    return total;
  }

  private static OptionalLong memTotal(Path meminfo) {
    try {
      for (String line : Files.readAllLines(meminfo, StandardCharsets.US_ASCII)) {
        // MemTotal:        8041312 kB
        String[] fields = line.trim().split("\\s+");
        if (fields.length >= 2 && fields[0].equals("MemTotal:") && fields[1].matches("[0-9]+")) {
          return OptionalLong.of(Long.parseLong(fields[1]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: unknown
    }
    return OptionalLong.empty();
  }

  /** A file holding one number ("max" and absent files: none). */
  private static OptionalLong firstNumber(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (text.matches("[0-9]{1,18}")) {
        return OptionalLong.of(Long.parseLong(text));
      }
    } catch (IOException | RuntimeException e) {
      // no such controller
    }
    return OptionalLong.empty();
  }
}
