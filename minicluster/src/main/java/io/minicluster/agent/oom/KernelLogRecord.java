package io.minicluster.agent.oom;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One record of the kernel log as {@code /dev/kmsg} hands it out: {@code "prio,seq,usec,flags[,...];message"}, then
 * optional continuation lines (" KEY=value") that are dropped here.
 *
 * @param facility syslog facility: 0 for the kernel's own messages; records written into /dev/kmsg from user space
 *     carry another one (1, user, by default)
 * @param level syslog level (0 emergency .. 7 debug)
 * @param sequence the record's sequence number
 * @param monotonicMicros microseconds since boot when the record was logged
 * @param message the message text
 */
public record KernelLogRecord(int facility, int level, long sequence, long monotonicMicros, String message) {
  public KernelLogRecord {
    requireNonNull(message, "message is null");
  }

  /** Whether the kernel itself wrote the record (user space can write into /dev/kmsg too, as another facility). */
  public boolean fromKernel() {
    return facility == 0;
  }

  /** Parses one record; empty when it does not have the /dev/kmsg form. */
  public static Optional<KernelLogRecord> parse(String raw) {
    requireNonNull(raw, "raw is null");
    int semicolon = raw.indexOf(';');
    if (semicolon < 0) {
      return Optional.empty();
    }
    String[] prefix = raw.substring(0, semicolon).split(",");
    if (prefix.length < 3) {
      return Optional.empty();
    }
    int priority;
    long sequence;
    long micros;
    try {
      priority = Integer.parseInt(prefix[0]);
      sequence = Long.parseLong(prefix[1]);
      micros = Long.parseLong(prefix[2]);
    } catch (NumberFormatException malformed) {
      return Optional.empty();
    }
    int newline = raw.indexOf('\n', semicolon);
    String message = newline < 0 ? raw.substring(semicolon + 1) : raw.substring(semicolon + 1, newline);
    return Optional.of(new KernelLogRecord(priority >> 3, priority & 7, sequence, micros, message));
  }
}
