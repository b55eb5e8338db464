package io.minicluster.agent.oom;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;

/** A reader of the kernel log from its oldest kept record on, blocking for new ones. */
public interface KernelLog extends Closeable {
  /**
   * The next record, waiting for one.
   *
   * @return the record, or null once the log was closed
   */
  KernelLogRecord read() throws IOException;

  /** The wall-clock time of the kernel's timestamp zero (boot). */
  Instant bootTime();

  /** Opens a kernel log. */
  @FunctionalInterface
  interface Source {
    KernelLog open() throws IOException;
  }
}
