package io.minicluster.agent.oom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters on a fake /proc and /sys/fs/cgroup laid out as cgroup v1, v2 and the hybrid layout. */
class MemoryCgroupsTest {
  private static final String ID = "b3dcb122849b2e761bfbecd1de8909530497c11fa5441a1234862a8e3c211475";
  @TempDir
  Path root;
  Path proc;
  Path cgroup;
  MemoryCgroups cgroups;

  @BeforeEach
  void setUp() {
    proc = root.resolve("proc");
    cgroup = root.resolve("cgroup");
    cgroups = new MemoryCgroups(proc, cgroup);
  }

  private void process(long pid, String cgroupFile) throws IOException {
    Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(proc.resolve(Long.toString(pid)).resolve("cgroup"), cgroupFile);
  }

  private Path file(String relative, String content) throws IOException {
    Path path = cgroup.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
    return path.getParent();
  }

  @Test
  void cgroupV1HybridLayoutReadsTheMemoryController() throws IOException {
    // the layout of this project's CI machine: v1 controllers plus an empty unified hierarchy
    process(42, """
        12:pids:/docker/%1$s
        9:memory:/docker/%1$s
        3:cpu,cpuacct:/docker/%1$s
        1:name=systemd:/docker/%1$s
        0::/docker/%1$s
        """.formatted(ID));
    Path directory = file("memory/docker/" + ID + "/memory.oom_control",
        "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    assertThat(cgroups.memoryCgroup(42)).contains(directory);
    assertThat(cgroups.oomKills(directory)).hasValue(1);
  }

  @Test
  void cgroupV2SystemdDriver() throws IOException {
    process(7, "0::/system.slice/docker-" + ID + ".scope\n");
    Path directory = file("system.slice/docker-" + ID + ".scope/memory.events",
        "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n");
    assertThat(cgroups.memoryCgroup(7)).contains(directory);
    assertThat(cgroups.oomKills(directory)).hasValue(2);
  }

  @Test
  void noCountBeforeAnyKillAndNoneForGoneProcessesOrCgroups() throws IOException {
    process(8, "0::/system.slice/docker-" + ID + ".scope\n");
    Path directory = file("system.slice/docker-" + ID + ".scope/memory.events", "oom 0\noom_kill 0\n");
    assertThat(cgroups.oomKills(directory)).hasValue(0);
    assertThat(cgroups.memoryCgroup(9)).isEmpty();
    assertThat(cgroups.oomKills(cgroup.resolve("gone"))).isEmpty();
  }

  @Test
  void oldKernelsWithoutTheCounterGiveNone() throws IOException {
    Path directory = file("memory/docker/x/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
    assertThat(cgroups.oomKills(directory)).isEmpty();
  }

  @Test
  void pathsCannotEscapeTheCgroupRoot() throws IOException {
    process(5, "0::/../../etc\n");
    assertThat(cgroups.memoryCgroup(5)).isEmpty();
  }
}
