package io.minicluster.service;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The packaged service under systemd: the {@value #UNIT} unit, driven with {@code systemctl}. */
public final class SystemdService {
  public static final String UNIT = "minicluster.service";

  /** One finished systemctl run. */
  public record Result(int exitCode, String output) {}

  private SystemdService() {}

  /** Whether systemd manages this system (sd_booted: {@code /run/systemd/system} exists). */
  public static boolean booted() {
    return Files.isDirectory(Path.of("/run/systemd/system"));
  }

  /** The unit when systemd runs and knows it (the package is installed). */
  public static Optional<SystemdService> detect() {
    if (!booted()) {
      return Optional.empty();
    }
    try {
      Result loaded = systemctl(List.of("show", "--property=LoadState", "--value", UNIT), 30);
      return loaded.exitCode() == 0 && loaded.output().trim().equals("loaded") ? Optional.of(new SystemdService())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code systemctl is-active}: active, activating, inactive, failed... */
  public String state() {
    try {
      String state = systemctl(List.of("is-active", UNIT), 30).output().trim();
      return state.isEmpty() ? "unknown" : state;
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  public boolean active() {
    return state().equals("active");
  }

  /** {@code systemctl stop}; IOException with systemctl's words when it fails. */
  public void stop() throws IOException {
    Result result = systemctl(List.of("stop", UNIT), 180);
    if (result.exitCode() != 0) {
      throw new IOException("systemctl stop " + UNIT + " failed: " + result.output().trim());
    }
  }

  /** {@code systemctl start}, which returns once the daemon reported READY=1. */
  public void start() throws IOException {
    Result result = systemctl(List.of("start", UNIT), 300);
    if (result.exitCode() != 0) {
      throw new IOException("systemctl start " + UNIT + " failed: " + result.output().trim()
          + " (journalctl -u minicluster shows why)");
    }
  }

  private static Result systemctl(List<String> arguments, long timeoutSeconds) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("systemctl");
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    try {
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("systemctl " + String.join(" ", arguments) + " did not finish in " + timeoutSeconds
            + " s");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }
}
