package io.minicluster.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.service.HeapSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrapper's heap-size script chooses the daemon's heap as {@link HeapSize} does. */
class HeapSizeScriptTest {
  private static final Path SCRIPT = Path.of("src/deb/libexec/heap-size");
  private static final long MIB = 1024 * 1024;

  @TempDir
  Path temp;

  private record Run(int exitCode, String out) {}

  private Run run(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("MINICLUSTER_HEAP");
    builder.environment().putAll(environment);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return new Run(process.waitFor(), out);
  }

  private Path meminfo(long bytes) throws IOException {
    Path file = Files.createTempFile(temp, "meminfo", "");
    Files.writeString(file, "MemTotal:       " + bytes / 1024 + " kB\nMemFree:          1000 kB\n");
    return file;
  }

  @Test
  void aQuarterOfMemTotalWithinBoundsAsTheDaemonChoosesIt() throws Exception {
    Path noCgroup = temp.resolve("none");
    for (long megabytes : new long[] {256, 512, 1000, 1024, 2048, 3000, 4096, 65536}) {
      long bytes = megabytes * MIB;
      assertThat(run(Map.of(), meminfo(bytes).toString(), noCgroup.toString()).out())
          .as("%d MiB", megabytes).isEqualTo("-Xmx" + HeapSize.forMachine(bytes) / MIB + "m");
    }
  }

  @Test
  void aLowerCgroupLimitWins() throws Exception {
    Path meminfo = meminfo(8192 * MIB);
    Path v2 = Files.createDirectories(temp.resolve("v2"));
    Files.writeString(v2.resolve("memory.max"), "max\n");
    assertThat(run(Map.of(), meminfo.toString(), v2.toString()).out()).isEqualTo("-Xmx1024m");
    Files.writeString(v2.resolve("memory.max"), Long.toString(600 * MIB) + "\n");
    assertThat(run(Map.of(), meminfo.toString(), v2.toString()).out()).isEqualTo("-Xmx150m");

    Path v1 = Files.createDirectories(temp.resolve("v1/memory"));
    Files.writeString(v1.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
    assertThat(run(Map.of(), meminfo.toString(), temp.resolve("v1").toString()).out()).isEqualTo("-Xmx1024m");
  }

  @Test
  void unknownMemoryGivesTheSmallestHeap() throws Exception {
    assertThat(run(Map.of(), temp.resolve("missing").toString(), temp.resolve("missing").toString()).out())
        .isEqualTo("-Xmx128m");
  }

  @Test
  void miniclusterHeapOverridesTheChoiceAndIsChecked() throws Exception {
    assertThat(run(Map.of("MINICLUSTER_HEAP", "300m")).out()).isEqualTo("-Xmx300m");
    Run bad = run(Map.of("MINICLUSTER_HEAP", "-Xmx2g"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out()).contains("MINICLUSTER_HEAP is a heap size such as 512m or 1g");
  }
}
