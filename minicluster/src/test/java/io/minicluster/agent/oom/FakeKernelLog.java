package io.minicluster.agent.oom;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/** A kernel log fed by the test: records in /dev/kmsg's form, handed out in order, blocking while there are none. */
public final class FakeKernelLog implements KernelLog {
  private static final String END = "\0end";
  private final BlockingQueue<String> records = new LinkedBlockingQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Instant bootTime;

  public FakeKernelLog(Instant bootTime) {
    this.bootTime = bootTime;
  }

  /** Appends a kernel message (facility 0, level 6) logged at {@code time}. */
  public void kernel(Instant time, String message) {
    append(6, time, message);
  }

  /** Appends a record with the given syslog priority (facility * 8 + level). */
  public void append(int priority, Instant time, String message) {
    long micros = Duration.between(bootTime, time).toNanos() / 1000;
    records.add(priority + "," + sequence.getAndIncrement() + "," + micros + ",-;" + message);
  }

  /** Whether every appended record has been read. */
  public boolean drained() {
    return records.isEmpty();
  }

  @Override
  public KernelLogRecord read() {
    try {
      String raw = records.take();
      return raw.equals(END) ? null : KernelLogRecord.parse(raw).orElseThrow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public Instant bootTime() {
    return bootTime;
  }

  @Override
  public void close() {
    records.add(END);
  }
}
