package io.minicluster.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing child JVM with SIGKILL and checks that every acknowledged create survived. */
class SqliteStoreCrashIT {
  @TempDir Path dataDir;

  @Test
  void acknowledgedWritesSurviveKillNine() throws Exception {
    long maxAcknowledgedRevision = 0;
    int rounds = 2;
    Map<String, Long> acknowledged = new HashMap<>();
    for (int round = 0; round < rounds; round++) {
      Map<String, Long> roundAcks = runAndKill("/crash/" + round + "/", 600);
      assertThat(roundAcks).hasSizeGreaterThanOrEqualTo(600);
      acknowledged.putAll(roundAcks);
      // Revisions continue after the crash: everything the restarted writer acknowledged is newer.
      long roundMin = roundAcks.values().stream().mapToLong(Long::longValue).min().orElseThrow();
      assertThat(roundMin).isGreaterThan(maxAcknowledgedRevision);
      long roundMax = roundAcks.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(roundMax).isGreaterThan(maxAcknowledgedRevision);
      maxAcknowledgedRevision = roundMax;
    }

    try (SqliteStore store = SqliteStore.open(dataDir, SqliteStore.Options.defaults())) {
      for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
        Store.Entry entry = store.get(ack.getKey()).orElseThrow(() -> new AssertionError("lost " + ack.getKey()));
        assertThat(entry.revision()).isEqualTo(ack.getValue());
      }
      assertThat(store.revision()).isGreaterThanOrEqualTo(maxAcknowledgedRevision);
      long before = store.revision();
      assertThat(store.create("/crash/after", new byte[] {1}).revision()).isEqualTo(before + 1);
    }
  }

  /** Runs the child until it acknowledged {@code minimumAcks} creates, kills it, and returns every ack it printed. */
  private Map<String, Long> runAndKill(String prefix, int minimumAcks) throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    classPath,
                    CrashWriterMain.class.getName(),
                    dataDir.toString(),
                    prefix,
                    "8",
                    "100000"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Map<String, Long> acks = new HashMap<>();
    List<String> others = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          String[] parts = line.split(" ");
          acks.put(parts[1], Long.parseLong(parts[2]));
          if (acks.size() == minimumAcks) {
            // SIGKILL mid-stream. Through the handle, so that the pipe stays open and the acks the child printed
            // before dying are still read (Process.destroyForcibly would close our end of it).
            process.toHandle().destroyForcibly();
          }
        } else {
          others.add(line);
        }
        if (System.nanoTime() > deadline) {
          process.toHandle().destroyForcibly();
          throw new AssertionError("child too slow; output: " + others);
        }
      }
    } finally {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(others).as("child must be killed before it finishes").doesNotContain("FINISHED");
    assertThat(process.exitValue()).isEqualTo(137);
    return acks;
  }
}
