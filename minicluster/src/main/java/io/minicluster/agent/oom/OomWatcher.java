package io.minicluster.agent.oom;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which processes the kernel's OOM killer killed, by container: the kubelet's OOM watcher, which does not trust the
 * container engine alone (some engines miss OOM kills; a kill of a child process can go unnoticed by all of them).
 *
 * <p>It follows the kernel log (/dev/kmsg, as cAdvisor does) from its oldest kept record on, so kills of containers
 * that ended while the daemon was down are known too; listeners hear only of kills logged after {@link #start()}.
 * Where the kernel log cannot be read, the memory cgroup counters of running containers are sampled instead
 * ({@link #sampleRunning}, {@link #sampleExited}); kills outside containers are then not seen.
 */
public final class OomWatcher implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(OomWatcher.class);
  /** Containers remembered (kills and cgroup directories): far more than a node runs at once. */
  private static final int MAX_TRACKED = 4096;

  private final KernelLog.Source source;
  private final MemoryCgroups cgroups;
  private final Clock clock;
  /** Guarded by itself, as are {@link #settled} (containers already waited for) and {@link #cgroupDirectories}. */
  private final Map<String, OomKill> kills = bounded();
  private final Map<String, Boolean> settled = bounded();
  private final Map<String, Path> cgroupDirectories = bounded();
  private final List<Consumer<OomKill>> listeners = new CopyOnWriteArrayList<>();
  private KernelLog log;
  private Thread reader;
  private volatile Instant startedAt;
  private volatile boolean following;
  private volatile boolean closed;

  public OomWatcher(KernelLog.Source source, MemoryCgroups cgroups, Clock clock) {
    this.source = requireNonNull(source, "source is null");
    this.cgroups = requireNonNull(cgroups, "cgroups is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** This machine's: /dev/kmsg and the cgroup file systems under /sys/fs/cgroup. */
  public static OomWatcher forHost(Clock clock) {
    return new OomWatcher(() -> DevKmsg.open(clock), MemoryCgroups.host(), clock);
  }

  /** Opens the kernel log and follows it on a thread of its own; without one, keeps to the cgroup counters. */
  public synchronized void start() {
    if (reader != null || closed) {
      return;
    }
    startedAt = clock.instant();
    try {
      log = source.open();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the kernel log ({}): OOM kills are seen in the memory cgroup counters of running "
          + "containers only, and kills outside containers not at all", e.getMessage());
      return;
    }
    following = true;
    reader = new Thread(() -> follow(log), "oom-watcher");
    reader.setDaemon(true);
    reader.start();
  }

  /** Whether the kernel log is being followed (false before start, without one, after a read failure). */
  public boolean followsKernelLog() {
    return following;
  }

  /** Registers a listener for kills logged from now on; called on the watcher's or a sampling thread. */
  public Closeable subscribe(Consumer<OomKill> listener) {
    requireNonNull(listener, "listener is null");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** The kill of a process of the container, if the kernel killed one. */
  public Optional<OomKill> killed(String containerId) {
    requireNonNull(containerId, "containerId is null");
    synchronized (kills) {
      return Optional.ofNullable(kills.get(containerId));
    }
  }

  /**
   * The kill of a process of a container that was just killed by SIGKILL, waiting (once per container, at most
   * {@code timeout}) for the kernel log reader to catch up: the kernel logs a kill before the process is even gone,
   * but a starved reader thread could still be behind the engine's exit report.
   */
  public Optional<OomKill> awaitKilled(String containerId, Duration timeout) {
    requireNonNull(containerId, "containerId is null");
    requireNonNull(timeout, "timeout is null");
    synchronized (kills) {
      OomKill kill = kills.get(containerId);
      if (kill != null || !following || settled.containsKey(containerId)) {
        return Optional.ofNullable(kill);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        for (long left = timeout.toNanos(); kill == null && following && left > 0; left = deadline - System.nanoTime()) {
          TimeUnit.NANOSECONDS.timedWait(kills, left);
          kill = kills.get(containerId);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      settled.put(containerId, Boolean.TRUE);
      return Optional.ofNullable(kill);
    }
  }

  /** Reads the OOM-kill counter of a running container's memory cgroup (and remembers where it is for its exit). */
  public void sampleRunning(String containerId, long pid) {
    requireNonNull(containerId, "containerId is null");
    if (pid <= 0 || killed(containerId).isPresent()) {
      return;
    }
    Path directory;
    synchronized (cgroupDirectories) {
      directory = cgroupDirectories.get(containerId);
    }
    if (directory == null) {
      directory = cgroups.memoryCgroup(pid).orElse(null);
      if (directory == null) {
        return;
      }
      synchronized (cgroupDirectories) {
        cgroupDirectories.put(containerId, directory);
      }
    }
    sample(containerId, directory);
  }

  /** Reads the counter of a container that just exited, while its cgroup may still be there, and forgets it. */
  public void sampleExited(String containerId) {
    requireNonNull(containerId, "containerId is null");
    Path directory;
    synchronized (cgroupDirectories) {
      directory = cgroupDirectories.remove(containerId);
    }
    if (directory != null && killed(containerId).isEmpty()) {
      sample(containerId, directory);
    }
  }

  private void sample(String containerId, Path directory) {
    if (cgroups.oomKills(directory).orElse(0) > 0) {
      String cgroup = directory.toString();
      record(new OomKill(clock.instant(), 0, "", cgroup, cgroup, containerId), true);
    }
  }

  private void follow(KernelLog kernelLog) {
    OomParser parser = new OomParser();
    try {
      for (KernelLogRecord record = kernelLog.read(); record != null; record = kernelLog.read()) {
        if (!record.fromKernel()) {
          // user space may write into the kernel log: only the kernel's own records are believed
          continue;
        }
        Instant time = kernelLog.bootTime().plus(Duration.ofNanos(record.monotonicMicros() * 1000));
        parser.accept(record.message(), time).ifPresent(kill -> record(kill, !time.isBefore(startedAt)));
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.warn("reading the kernel log failed ({}): OOM kills are seen in memory cgroup counters only from now on",
            e.toString());
      }
    } finally {
      following = false;
      synchronized (kills) {
        kills.notifyAll();
      }
    }
  }

  /**
   * Remembers a kill (a kernel report replaces a counter's) and tells the listeners of the first one of a container
   * and of every system-wide one.
   */
  private void record(OomKill kill, boolean announce) {
    boolean first = true;
    if (kill.container().isPresent()) {
      synchronized (kills) {
        OomKill known = kills.get(kill.containerId());
        first = known == null;
        if (first || (known.pid() == 0 && kill.pid() != 0)) {
          kills.put(kill.containerId(), kill);
          kills.notifyAll();
        }
      }
    }
    if (!announce || !first && !kill.systemWide()) {
      return;
    }
    if (kill.pid() == 0) {
      LOG.info("OOM kill counted in memory cgroup {}", kill.taskCgroup());
    } else {
      LOG.info("OOM kill: process {} ({}) in cgroup {}{}", kill.pid(), kill.processName(), kill.taskCgroup(),
          kill.systemWide() ? " (system out of memory)" : ", limit of " + kill.oomCgroup());
    }
    for (Consumer<OomKill> listener : listeners) {
      try {
        listener.accept(kill);
      } catch (RuntimeException e) {
        LOG.warn("OOM kill listener failed", e);
      }
    }
  }

  @Override
  public void close() {
    KernelLog kernelLog;
    Thread thread;
    synchronized (this) {
      closed = true;
      kernelLog = log;
      thread = reader;
    }
    if (kernelLog != null) {
      try {
        kernelLog.close();
      } catch (IOException e) {
        LOG.debug("closing the kernel log: {}", e.getMessage());
      }
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_TRACKED;
      }
    };
  }
}
