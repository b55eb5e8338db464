package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When the local Docker engine started: the start of the {@code dockerd} process its pid file names (the engine
 * writes the file when it starts). The engine's API does not say; a remote engine (a TCP endpoint) cannot be told.
 */
final class EngineProcess {
  static final List<Path> PID_FILES = List.of(Path.of("/var/run/docker.pid"), Path.of("/run/docker.pid"));

  private final boolean local;
  private final List<Path> pidFiles;

  EngineProcess(boolean local, List<Path> pidFiles) {
    this.local = local;
    this.pidFiles = List.copyOf(requireNonNull(pidFiles, "pidFiles is null"));
  }

  /** The start of the engine process, empty when the engine is not local or its pid file names no live process. */
  Optional<Instant> startedAt() {
    if (!local) {
      return Optional.empty();
    }
    for (Path pidFile : pidFiles) {
      Optional<Long> pid = pid(pidFile);
      if (pid.isPresent()) {
        // a stale pid file may name another process now, whose start says nothing of the engine's
        Optional<Instant> start = ProcessHandle.of(pid.get())
            .filter(process -> process.info().command().map(EngineProcess::isEngine).orElse(false))
            .flatMap(process -> process.info().startInstant());
        if (start.isPresent()) {
          return start;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isEngine(String command) {
    Path name = Path.of(command).getFileName();
    return name != null && name.toString().equals("dockerd");
  }

  private static Optional<Long> pid(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException unreadable) {
      return Optional.empty();
    }
  }
}
