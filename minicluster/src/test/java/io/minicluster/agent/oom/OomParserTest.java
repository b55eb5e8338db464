package io.minicluster.agent.oom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel OOM reports as kernels of both formats log them, for cgroup v1 and v2 and both cgroup drivers. */
class OomParserTest {
  private static final String ID = "b3dcb122849b2e761bfbecd1de8909530497c11fa5441a1234862a8e3c211475";
  private static final String OUTER = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
  private static final Instant T = Instant.parse("2026-12-07T05:47:00Z");

  private static List<OomKill> parse(String... messages) {
    OomParser parser = new OomParser();
    List<OomKill> kills = new ArrayList<>();
    for (String message : messages) {
      parser.accept(message, T).ifPresent(kills::add);
    }
    return kills;
  }

  @Test
  void kernel618CgroupV1CgroupfsDriver() {
    // recorded on this project's CI machine (kernel 6.18, cgroup v1, Docker 20.10 with the cgroupfs driver)
    List<OomKill> kills = parse(
        "tail invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
        "CPU: 1 UID: 0 PID: 8885 Comm: tail Not tainted 6.18.44-fc-v1300 #1 PREEMPT(none) ",
        "Call Trace:",
        " <TASK>",
        "memory: usage 16384kB, limit 16384kB, failcnt 27",
        "Tasks state (memory values in pages):",
        "[   8885]     0  8885     2464     1920     1920        0         0    61440        0             0 tail",
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=" + ID + ",mems_allowed=0,oom_memcg=/docker/"
            + ID + ",task_memcg=/docker/" + ID + ",task=tail,pid=8885,uid=0",
        "Memory cgroup out of memory: Killed process 8885 (tail) total-vm:9856kB, anon-rss:7680kB, file-rss:1264kB, "
            + "shmem-rss:0kB, UID:0 pgtables:64kB oom_score_adj:0",
        "oom_reaper: reaped process 8885 (tail), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
    assertThat(kills).containsExactly(
        new OomKill(T, 8885, "tail", "/docker/" + ID, "/docker/" + ID, ID));
    assertThat(kills.get(0).systemWide()).isFalse();
  }

  @Test
  void cgroupV2SystemdDriver() {
    List<OomKill> kills = parse(
        "sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-" + ID + ".scope,mems_allowed=0,"
            + "oom_memcg=/system.slice/docker-" + ID + ".scope,task_memcg=/system.slice/docker-" + ID + ".scope,"
            + "task=sh,pid=4321,uid=1000",
        "Memory cgroup out of memory: Killed process 4321 (sh) total-vm:1604kB, anon-rss:1024kB, file-rss:4kB, "
            + "shmem-rss:0kB, UID:1000 pgtables:44kB oom_score_adj:0");
    assertThat(kills).singleElement().satisfies(kill -> {
      assertThat(kill.containerId()).isEqualTo(ID);
      assertThat(kill.pid()).isEqualTo(4321);
      assertThat(kill.processName()).isEqualTo("sh");
      assertThat(kill.oomCgroup()).isEqualTo("/system.slice/docker-" + ID + ".scope");
    });
  }

  @Test
  void cgroupV1SystemdDriverWithAChildCgroupOfTheContainer() {
    List<OomKill> kills = parse(
        "python3 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-" + ID + ".scope,mems_allowed=0-1,"
            + "oom_memcg=/system.slice/docker-" + ID + ".scope,task_memcg=/system.slice/docker-" + ID
            + ".scope/worker,task=python3,pid=99,uid=0",
        "Memory cgroup out of memory: Killed process 99 (python3) total-vm:100kB, anon-rss:90kB, file-rss:0kB, "
            + "shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0");
    assertThat(kills).singleElement().satisfies(kill -> {
      assertThat(kill.containerId()).isEqualTo(ID);
      assertThat(kill.taskCgroup()).endsWith(".scope/worker");
    });
  }

  @Test
  void nestedEngineNamesTheInnerContainer() {
    List<OomKill> kills = parse(
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=" + ID + ",mems_allowed=0,oom_memcg=/docker/"
            + OUTER + "/docker/" + ID + ",task_memcg=/docker/" + OUTER + "/docker/" + ID + ",task=tail,pid=7,uid=0",
        "Memory cgroup out of memory: Killed process 7 (tail) total-vm:9856kB, anon-rss:7680kB, file-rss:1264kB, "
            + "shmem-rss:0kB, UID:0 pgtables:64kB oom_score_adj:0");
    assertThat(kills).singleElement().extracting(OomKill::containerId).isEqualTo(ID);
  }

  @Test
  void legacyKernelMemoryCgroupReport() {
    // kernels before 4.19 name the cgroups in a "Task in" line and report "Kill process", then "Killed process"
    List<OomKill> kills = parse(
        "stress invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0",
        "stress cpuset=" + ID + " mems_allowed=0",
        "Task in /docker/" + ID + " killed as a result of limit of /docker/" + ID,
        "memory: usage 204800kB, limit 204800kB, failcnt 1093",
        "Memory cgroup out of memory: Kill process 27881 (stress) score 1100 or sacrifice child",
        "Killed process 27881 (stress) total-vm:8192780kB, anon-rss:7152284kB, file-rss:4kB, shmem-rss:0kB");
    assertThat(kills).containsExactly(new OomKill(T, 27881, "stress", "/docker/" + ID, "/docker/" + ID, ID));
  }

  @Test
  void systemWideOutOfMemory() {
    List<OomKill> kills = parse(
        "stress invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, "
            + "oom_score_adj=0",
        "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
            + "task_memcg=/user.slice/user-0.slice/session-3.scope,task=stress,pid=4242,uid=0",
        "Out of memory: Killed process 4242 (stress) total-vm:4202808kB, anon-rss:3932160kB, file-rss:0kB, "
            + "shmem-rss:0kB, UID:0 pgtables:7740kB oom_score_adj:0");
    assertThat(kills).singleElement().satisfies(kill -> {
      assertThat(kill.systemWide()).isTrue();
      assertThat(kill.oomCgroup()).isEqualTo(OomKill.ROOT);
      assertThat(kill.container()).isEmpty();
      assertThat(kill.processName()).isEqualTo("stress");
    });
  }

  @Test
  void systemWideOutOfMemoryKillingAContainerProcess() {
    List<OomKill> kills = parse(
        "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
            + "task_memcg=/docker/" + ID + ",task=java,pid=555,uid=0",
        "Out of memory: Killed process 555 (java) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 "
            + "pgtables:4kB oom_score_adj:0");
    assertThat(kills).singleElement().satisfies(kill -> {
      assertThat(kill.systemWide()).isTrue();
      assertThat(kill.containerId()).isEqualTo(ID);
    });
  }

  @Test
  void legacyKernelSystemWideReport() {
    List<OomKill> kills = parse(
        "stress invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=(null), order=0, "
            + "oom_score_adj=0",
        "Out of memory: Kill process 4242 (stress) score 900 or sacrifice child",
        "Killed process 4242 (stress) total-vm:4202808kB, anon-rss:3932160kB, file-rss:0kB, shmem-rss:0kB");
    assertThat(kills).containsExactly(new OomKill(T, 4242, "stress", "/", "/", ""));
  }

  @Test
  void taskNamesWithCommasSpacesAndParentheses() {
    List<OomKill> kills = parse(
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=" + ID + ",mems_allowed=0,oom_memcg=/docker/"
            + ID + ",task_memcg=/docker/" + ID + ",task=a,b (c),pid=77,uid=1000",
        "Memory cgroup out of memory: Killed process 77 (a,b (c)) total-vm:9856kB, anon-rss:7680kB, "
            + "file-rss:1264kB, shmem-rss:0kB, UID:1000 pgtables:64kB oom_score_adj:0");
    assertThat(kills).singleElement().satisfies(kill -> {
      assertThat(kill.pid()).isEqualTo(77);
      assertThat(kill.processName()).isEqualTo("a,b (c)");
    });
  }

  @Test
  void aKillWhoseReportBeganBeforeTheReaderIsNotAttributed() {
    // the reader started mid-report (or the ring buffer dropped its start): no cgroup, nothing to say
    assertThat(parse("Memory cgroup out of memory: Killed process 1 (x) total-vm:1kB, anon-rss:1kB")).isEmpty();
    assertThat(parse("oom_reaper: reaped process 8885 (tail), now anon-rss:0kB")).isEmpty();
  }

  @Test
  void consecutiveReportsDoNotLeakCgroupsIntoEachOther() {
    List<OomKill> kills = parse(
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg=/docker/" + ID
            + ",task_memcg=/docker/" + ID + ",task=tail,pid=1,uid=0",
        "Memory cgroup out of memory: Killed process 1 (tail) total-vm:1kB",
        "stress invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
        "Out of memory: Killed process 2 (stress) total-vm:1kB");
    assertThat(kills).extracting(OomKill::containerId).containsExactly(ID, "");
    assertThat(kills.get(1).systemWide()).isTrue();
  }

  @Test
  void containerIdsFromCgroupPaths() {
    assertThat(OomKill.containerIdOf("/docker/" + ID)).contains(ID);
    assertThat(OomKill.containerIdOf("/system.slice/docker-" + ID + ".scope")).contains(ID);
    assertThat(OomKill.containerIdOf("/kubepods/burstable/pod1/cri-containerd-" + ID + ".scope")).contains(ID);
    assertThat(OomKill.containerIdOf("/docker/" + OUTER + "/docker/" + ID)).contains(ID);
    assertThat(OomKill.containerIdOf("/user.slice/user-0.slice/session-3.scope")).isEmpty();
    assertThat(OomKill.containerIdOf("/")).isEmpty();
    assertThat(OomKill.containerIdOf("/docker/" + ID.toUpperCase())).isEmpty();
  }
}
