package io.minicluster.service;

import static java.util.Objects.requireNonNull;

import io.minicluster.pki.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The background service's pid file: the process id of its supervisor, one line. A pid counts only while that process
 * lives and is a minicluster supervisor (its command line holds {@value #SUPERVISOR_COMMAND}), so a stale file whose
 * pid was reused by another program is never mistaken for the service.
 */
public record PidFile(Path path) {
  public static final Path DEFAULT = Path.of("/run/minicluster.pid");
  /** The hidden subcommand the supervisor runs as. */
  public static final String SUPERVISOR_COMMAND = "supervise";

  public PidFile {
    requireNonNull(path, "path is null");
    path = path.toAbsolutePath();
  }

  /** The pid written in the file, if the file holds one. */
  public Optional<Long> read() {
    try {
      String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
      return Optional.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The live supervisor the file names, if any. */
  public Optional<ProcessHandle> supervisor() {
    return read().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(PidFile::isSupervisor);
  }

  /** Writes {@code pid} atomically, mode 0644. */
  public void write(long pid) throws IOException {
    Files.createDirectories(path.getParent());
    SecureFiles.writeAtomically(path, (pid + "\n").getBytes(StandardCharsets.US_ASCII),
        PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** Removes the file if it names {@code pid} (a newer supervisor's file stays). */
  public void deleteIfOwnedBy(long pid) {
    if (read().filter(value -> value == pid).isPresent()) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // nothing more to do
      }
    }
  }

  /** Removes the file when no live supervisor owns it. */
  public void deleteIfStale() throws IOException {
    if (Files.exists(path) && supervisor().isEmpty()) {
      Files.deleteIfExists(path);
    }
  }

  /** The command line of a process ({@code /proc/PID/cmdline}), empty when unreadable. */
  public static List<String> commandLine(long pid) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (text.endsWith("\0")) {
        text = text.substring(0, text.length() - 1);
      }
      return text.isEmpty() ? List.of() : Arrays.asList(text.split("\0", -1));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The arguments after {@value #SUPERVISOR_COMMAND} on a supervisor's command line (how it was started). */
  public static List<String> supervisorArguments(long pid) {
    List<String> command = commandLine(pid);
    int index = command.indexOf(SUPERVISOR_COMMAND);
    return index < 0 ? List.of() : List.copyOf(command.subList(index + 1, command.size()));
  }

  private static boolean isSupervisor(ProcessHandle process) {
    List<String> command = commandLine(process.pid());
    return command.contains(SUPERVISOR_COMMAND)
        && command.stream().anyMatch(part -> part.contains("minicluster") || part.equals(Launcher.MAIN_CLASS));
  }
}
