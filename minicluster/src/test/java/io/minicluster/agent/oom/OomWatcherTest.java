package io.minicluster.agent.oom;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.controller.testing.Eventually;
import io.minicluster.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OomWatcherTest {
  private static final String ID = "b3dcb122849b2e761bfbecd1de8909530497c11fa5441a1234862a8e3c211475";
  private static final String OTHER = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
  private final FakeKernelLog log = new FakeKernelLog(clock.instant().minus(Duration.ofHours(1)));
  private final List<OomKill> heard = new CopyOnWriteArrayList<>();
  @TempDir
  Path root;
  private OomWatcher watcher;

  @AfterEach
  void tearDown() {
    if (watcher != null) {
      watcher.close();
    }
  }

  private OomWatcher watcher(KernelLog.Source source) {
    watcher = new OomWatcher(source, new MemoryCgroups(root.resolve("proc"), root.resolve("cgroup")), clock);
    watcher.subscribe(heard::add);
    return watcher;
  }

  private void memcgKill(Instant at, String container, long pid) {
    log.kernel(at, "tail invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
    log.kernel(at, "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=" + container
        + ",mems_allowed=0,oom_memcg=/docker/" + container + ",task_memcg=/docker/" + container
        + ",task=tail,pid=" + pid + ",uid=0");
    log.kernel(at, "Memory cgroup out of memory: Killed process " + pid + " (tail) total-vm:9856kB, "
        + "anon-rss:7680kB, file-rss:1264kB, shmem-rss:0kB, UID:0 pgtables:64kB oom_score_adj:0");
  }

  @Test
  void killsLoggedBeforeTheStartAreKnownButOnlyNewOnesAreAnnounced() {
    memcgKill(clock.instant().minusSeconds(600), OTHER, 10);
    watcher(() -> log).start();
    assertThat(watcher.followsKernelLog()).isTrue();
    Eventually.assertThat(() -> assertThat(watcher.killed(OTHER)).isPresent());
    assertThat(heard).isEmpty();

    memcgKill(clock.instant().plusSeconds(1), ID, 8885);
    Eventually.assertThat(() -> assertThat(heard).singleElement().satisfies(kill -> {
      assertThat(kill.containerId()).isEqualTo(ID);
      assertThat(kill.pid()).isEqualTo(8885);
      assertThat(kill.time()).isEqualTo(clock.instant().plusSeconds(1));
    }));
    assertThat(watcher.killed(ID)).map(OomKill::processName).contains("tail");
    assertThat(watcher.killed("cafe")).isEmpty();
  }

  @Test
  void userSpaceCannotForgeAKill() {
    watcher(() -> log).start();
    Instant later = clock.instant().plusSeconds(1);
    // the same lines written into /dev/kmsg by a user-space process carry the user facility (priority 14)
    log.append(14, later, "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,"
        + "oom_memcg=/docker/" + OTHER + ",task_memcg=/docker/" + OTHER + ",task=x,pid=1,uid=0");
    log.append(14, later, "Memory cgroup out of memory: Killed process 1 (x) total-vm:1kB");
    memcgKill(later, ID, 2);
    Eventually.assertThat(() -> assertThat(heard).hasSize(1));
    assertThat(watcher.killed(OTHER)).isEmpty();
  }

  @Test
  void withoutAKernelLogTheCgroupCountersOfRunningContainersTell() throws IOException {
    watcher(() -> {
      throw new IOException("/dev/kmsg: Operation not permitted");
    }).start();
    assertThat(watcher.followsKernelLog()).isFalse();
    Path proc = Files.createDirectories(root.resolve("proc/42"));
    Files.writeString(proc.resolve("cgroup"), "9:memory:/docker/" + ID + "\n0::/docker/" + ID + "\n");
    Path counters = Files.createDirectories(root.resolve("cgroup/memory/docker/" + ID)).resolve("memory.oom_control");
    Files.writeString(counters, "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");

    watcher.sampleRunning(ID, 42);
    assertThat(watcher.killed(ID)).isEmpty();
    Files.writeString(counters, "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    watcher.sampleRunning(ID, 42);
    assertThat(watcher.killed(ID)).isPresent();
    assertThat(heard).singleElement().satisfies(kill -> {
      assertThat(kill.containerId()).isEqualTo(ID);
      assertThat(kill.pid()).isZero();
      assertThat(kill.systemWide()).isFalse();
    });
    watcher.sampleRunning(ID, 42);
    assertThat(heard).hasSize(1);
  }

  @Test
  void theCounterIsReadOnceMoreWhenTheContainerExits() throws IOException {
    watcher(() -> {
      throw new IOException("no kernel log");
    }).start();
    Files.writeString(Files.createDirectories(root.resolve("proc/42")).resolve("cgroup"), "0::/docker/" + ID + "\n");
    Path events = Files.createDirectories(root.resolve("cgroup/docker/" + ID)).resolve("memory.events");
    Files.writeString(events, "oom 0\noom_kill 0\n");
    watcher.sampleRunning(ID, 42);
    // the kill came between the last sample and the exit: the main process was the one killed
    Files.writeString(events, "oom 1\noom_kill 1\n");
    watcher.sampleExited(ID);
    assertThat(watcher.killed(ID)).isPresent();
    // forgotten at exit: a later exit event (or a container the watcher never sampled) reads nothing
    watcher.sampleExited(OTHER);
    assertThat(watcher.killed(OTHER)).isEmpty();
  }

  @Test
  void aKernelReportReplacesACounterSightingWithoutASecondAnnouncement() throws IOException {
    watcher(() -> log).start();
    Files.writeString(Files.createDirectories(root.resolve("proc/42")).resolve("cgroup"), "0::/docker/" + ID + "\n");
    Files.writeString(Files.createDirectories(root.resolve("cgroup/docker/" + ID)).resolve("memory.events"),
        "oom_kill 1\n");
    watcher.sampleRunning(ID, 42);
    assertThat(heard).hasSize(1);
    memcgKill(clock.instant().plusSeconds(1), ID, 8885);
    Eventually.assertThat(() -> assertThat(watcher.killed(ID)).map(OomKill::pid).contains(8885L));
    assertThat(heard).hasSize(1);
  }

  @Test
  void awaitingAKillWaitsOncePerContainerForTheReaderToCatchUp() throws Exception {
    watcher(() -> log).start();
    Thread late = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      memcgKill(clock.instant().plusSeconds(1), ID, 8885);
    });
    late.start();
    assertThat(watcher.awaitKilled(ID, Duration.ofSeconds(30))).map(OomKill::pid).contains(8885L);
    late.join();

    // no kill for OTHER: waited for once, then answered at once
    long started = System.nanoTime();
    assertThat(watcher.awaitKilled(OTHER, Duration.ofMillis(200))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    started = System.nanoTime();
    assertThat(watcher.awaitKilled(OTHER, Duration.ofSeconds(30))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void withoutAKernelLogNothingIsAwaited() {
    watcher(() -> {
      throw new IOException("no kernel log");
    }).start();
    long started = System.nanoTime();
    assertThat(watcher.awaitKilled(ID, Duration.ofSeconds(30))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void systemWideKillsAreAnnouncedEachTime() {
    watcher(() -> log).start();
    for (int pid = 1; pid <= 2; pid++) {
      log.kernel(clock.instant().plusSeconds(pid), "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
          + "mems_allowed=0,global_oom,task_memcg=/user.slice,task=stress,pid=" + pid + ",uid=0");
      log.kernel(clock.instant().plusSeconds(pid), "Out of memory: Killed process " + pid + " (stress) total-vm:1kB");
    }
    Eventually.assertThat(() -> assertThat(heard).extracting(OomKill::pid).containsExactly(1L, 2L));
    assertThat(heard).allMatch(OomKill::systemWide);
  }
}
