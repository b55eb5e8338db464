package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the engine started, from its pid file: only a live dockerd process counts. */
class EngineProcessTest {
  @TempDir
  Path directory;

  @Test
  void aPidFileNamingAnotherProcessOrNothingTellsNothing() throws Exception {
    Path missing = directory.resolve("missing.pid");
    Path garbage = Files.writeString(directory.resolve("garbage.pid"), "not a pid\n");
    // this test's JVM is alive but is no engine: a stale pid file whose number was given to another process
    Path other = Files.writeString(directory.resolve("other.pid"), ProcessHandle.current().pid() + "\n");
    assertThat(new EngineProcess(true, List.of(missing, garbage, other)).startedAt()).isEmpty();
  }

  @Test
  void aRemoteEngineCannotBeTold() throws Exception {
    Path pidFile = Files.writeString(directory.resolve("docker.pid"), ProcessHandle.current().pid() + "\n");
    assertThat(new EngineProcess(false, List.of(pidFile)).startedAt()).isEmpty();
  }
}
