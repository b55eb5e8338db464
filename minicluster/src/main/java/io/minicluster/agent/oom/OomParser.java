package io.minicluster.agent.oom;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the kernel's OOM-killer reports into {@link OomKill}s, one message at a time (cAdvisor's oomparser). A report
 * spans several messages: {@code "<comm> invoked oom-killer: ..."}, a dump, then which cgroup it concerns and the kill:
 * <ul>
 *   <li>kernels since 4.19: {@code "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=...,cpuset=...,mems_allowed=...,
 *       oom_memcg=/docker/<id>,task_memcg=/docker/<id>,task=tail,pid=8885,uid=0"} ({@code global_oom} instead of
 *       {@code oom_memcg=} when the whole machine is out of memory), then {@code "Memory cgroup out of memory: Killed
 *       process 8885 (tail) total-vm:..."} or {@code "Out of memory: Killed process ..."};</li>
 *   <li>older kernels: {@code "Task in /docker/<id> killed as a result of limit of /docker/<id>"} for a memory cgroup,
 *       then {@code "Killed process 8885 (tail) total-vm:..."}.</li>
 * </ul>
 * Not thread-safe: one reader feeds it in log order.
 */
final class OomParser {
  private static final Pattern INVOKED = Pattern.compile(" invoked oom-killer: ");
  private static final Pattern SUMMARY = Pattern.compile("^oom-kill:(.*)$");
  private static final Pattern OOM_MEMCG = Pattern.compile("(?:^|,)oom_memcg=([^,]*)");
  private static final Pattern TASK_MEMCG = Pattern.compile("(?:^|,)task_memcg=([^,]*)");
  private static final Pattern GLOBAL = Pattern.compile("(?:^|,)global_oom(?:,|$)");
  /** The task's name may itself hold commas: pid and uid close the line. */
  private static final Pattern TASK = Pattern.compile(",task=(.*),pid=(\\d+),uid=\\d+$");
  private static final Pattern LEGACY_CGROUPS = Pattern.compile("^Task in (\\S+) killed as a result of limit of (\\S+)");
  private static final Pattern KILLED = Pattern.compile("Killed process (\\d+) \\((.*?)\\)(?=[ ,]|$)");

  /** The report in progress. */
  private boolean inReport;
  private String taskCgroup;
  private String oomCgroup;

  /**
   * Feeds one message of the kernel log.
   *
   * @param message the message text
   * @param time when it was logged
   * @return the kill the message completes, if it completes one
   */
  Optional<OomKill> accept(String message, Instant time) {
    requireNonNull(message, "message is null");
    requireNonNull(time, "time is null");
    if (INVOKED.matcher(message).find()) {
      begin();
      return Optional.empty();
    }
    Matcher summary = SUMMARY.matcher(message);
    if (summary.matches()) {
      String fields = summary.group(1);
      inReport = true;
      Matcher oom = OOM_MEMCG.matcher(fields);
      if (oom.find()) {
        oomCgroup = oom.group(1);
      } else if (GLOBAL.matcher(fields).find()) {
        oomCgroup = OomKill.ROOT;
      }
      Matcher task = TASK_MEMCG.matcher(fields);
      if (task.find()) {
        taskCgroup = task.group(1);
      }
      return Optional.empty();
    }
    Matcher legacy = LEGACY_CGROUPS.matcher(message);
    if (legacy.find()) {
      inReport = true;
      taskCgroup = legacy.group(1);
      oomCgroup = legacy.group(2);
      return Optional.empty();
    }
    Matcher killed = KILLED.matcher(message);
    if (killed.find()) {
      Optional<OomKill> kill = complete(message, killed, time);
      reset();
      return kill;
    }
    return Optional.empty();
  }

  private Optional<OomKill> complete(String message, Matcher killed, Instant time) {
    boolean memoryCgroup = message.startsWith("Memory cgroup out of memory");
    String oom = oomCgroup;
    if (oom == null) {
      if (!inReport || memoryCgroup) {
        // the start of the report was not seen (or names no cgroup): nothing to attribute the kill to
        return Optional.empty();
      }
      oom = OomKill.ROOT;
    }
    String task = taskCgroup != null ? taskCgroup : oom;
    return Optional.of(OomKill.reported(time, Long.parseLong(killed.group(1)), killed.group(2), task, oom));
  }

  private void begin() {
    reset();
    inReport = true;
  }

  private void reset() {
    inReport = false;
    taskCgroup = null;
    oomCgroup = null;
  }
}
