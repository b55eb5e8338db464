package io.minicluster.agent.oom;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The kernel log through {@code /dev/kmsg}: each read returns one record; a reader that fell behind the ring buffer
 * gets EPIPE once and then goes on with the oldest record still kept. Read through a {@link FileChannel} so that
 * {@link #close()} from another thread ends a read blocked waiting for the next record.
 */
public final class DevKmsg implements KernelLog {
  /** The kernel's longest record (CONSOLE_EXT_LOG_MAX): a shorter buffer makes read fail with EINVAL. */
  private static final int RECORD_MAX = 8192;
  private static final Path DEVICE = Path.of("/dev/kmsg");
  private static final Path UPTIME = Path.of("/proc/uptime");

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD_MAX);
  private final Instant bootTime;

  private DevKmsg(FileChannel channel, Instant bootTime) {
    this.channel = channel;
    this.bootTime = bootTime;
  }

  /** Opens this machine's kernel log (needs CAP_SYSLOG where {@code kernel.dmesg_restrict} is set). */
  public static DevKmsg open(Clock clock) throws IOException {
    requireNonNull(clock, "clock is null");
    Instant bootTime = clock.instant().minus(uptime());
    return new DevKmsg(FileChannel.open(DEVICE, StandardOpenOption.READ), bootTime);
  }

  /** The kernel's clock (CLOCK_BOOTTIME, the same as its log timestamps on a machine that never suspended). */
  private static Duration uptime() throws IOException {
    String seconds = Files.readString(UPTIME).trim().split("\\s+")[0];
    try {
      return Duration.ofNanos(Math.round(Double.parseDouble(seconds) * 1e9));
    } catch (NumberFormatException malformed) {
      throw new IOException("unexpected " + UPTIME + ": " + seconds, malformed);
    }
  }

  @Override
  public KernelLogRecord read() throws IOException {
    while (true) {
      buffer.clear();
      int read;
      try {
        read = channel.read(buffer);
      } catch (ClosedChannelException closed) {
        // closed, also while this read waited (AsynchronousCloseException)
        return null;
      } catch (IOException e) {
        if ("Broken pipe".equals(e.getMessage())) {
          // records were overwritten before they were read: the next read goes on with the oldest one kept
          continue;
        }
        throw e;
      }
      if (read < 0) {
        return null;
      }
      buffer.flip();
      String raw = StandardCharsets.UTF_8.decode(buffer).toString();
      var record = KernelLogRecord.parse(raw);
      if (record.isPresent()) {
        return record.get();
      }
    }
  }

  @Override
  public Instant bootTime() {
    return bootTime;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
