package io.minicluster.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A network namespace the test creates and deletes (tests run as root); commands run inside it never see the host's
 * own iptables tables.
 */
final class NetworkNamespace implements AutoCloseable {
  private final String name;
  private final List<Process> processes = new ArrayList<>();

  private NetworkNamespace(String name) {
    this.name = name;
  }

  static NetworkNamespace create(String prefix) throws IOException {
    NetworkNamespace namespace = new NetworkNamespace(prefix + UUID.randomUUID().toString().substring(0, 8));
    host("ip", "netns", "add", namespace.name);
    namespace.exec("ip", "link", "set", "lo", "up");
    return namespace;
  }

  String name() {
    return name;
  }

  CommandRunner runner() {
    return CommandRunner.inNamespace(name);
  }

  /** Runs a command inside; fails the test when it fails. */
  String exec(String... command) throws IOException {
    CommandRunner.Result result = runner().run(List.of(command), null);
    assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
    return result.stdout();
  }

  /** Starts a long-running process inside, destroyed on close. */
  Process start(String... command) throws IOException {
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
    wrapped.addAll(List.of(command));
    Process process = new ProcessBuilder(wrapped).redirectErrorStream(true).start();
    processes.add(process);
    return process;
  }

  static String host(String... command) throws IOException {
    CommandRunner.Result result = CommandRunner.host().run(List.of(command), null);
    assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
    return result.stdout();
  }

  @Override
  public void close() throws IOException {
    for (Process process : processes) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    CommandRunner.host().run(List.of("ip", "netns", "del", name), null);
  }
}
