package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The peer of a pod start: the same sandbox (pause) container plus one application container joined to its network
 * and IPC namespaces, started on the same Docker engine and network, once with the {@code docker} CLI (what a user
 * compares against) and once through the engine API (docker-java, the floor the daemon's node agent could reach).
 * Every container it starts carries the label {@value #RUN_LABEL}=run id, so {@link #removeAll()} finds them.
 */
final class BareDocker implements AutoCloseable {
  static final String RUN_LABEL = "io.minicluster.bench.run";
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

  private final String runId;
  private final String network;
  private final String sandboxImage;
  private final String image;
  private final List<String> command;
  private final DockerClient client;

  BareDocker(String runId, String network, String sandboxImage, String image, List<String> command) {
    this.runId = requireNonNull(runId, "runId is null");
    this.network = requireNonNull(network, "network is null");
    this.sandboxImage = requireNonNull(sandboxImage, "sandboxImage is null");
    this.image = requireNonNull(image, "image is null");
    this.command = List.copyOf(command);
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    this.client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig()).maxConnections(8).build());
  }

  /**
   * {@code docker run -d} of the sandbox, then of the container in its namespaces, then {@code docker inspect} until
   * the container is running. Returns the nanoseconds from the first command's start to the container seen running.
   */
  long startWithCli(String name) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String sandbox = docker("run", "-d", "--name", name + "-sandbox", "--label", RUN_LABEL + "=" + runId,
        "--network", network, "--ipc", "shareable", "--hostname", name, sandboxImage).strip();
    List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", RUN_LABEL + "=" + runId,
        "--network", "container:" + sandbox, "--ipc", "container:" + sandbox, image));
    run.addAll(command);
    String container = docker(run.toArray(new String[0])).strip();
    for (int attempt = 0; attempt < 200; attempt++) {
      if ("true".equals(docker("inspect", "-f", "{{.State.Running}}", container).strip())) {
        return System.nanoTime() - start;
      }
      Thread.sleep(10);
    }
    throw new IOException("bare container " + name + " never ran");
  }

  /** The same two containers through the engine API: create + start each, then inspect until running. */
  long startWithApi(String name) throws IOException, InterruptedException {
    Map<String, String> labels = Map.of(RUN_LABEL, runId);
    long start = System.nanoTime();
    String sandbox = client.createContainerCmd(sandboxImage).withName(name + "-sandbox").withLabels(labels)
        .withHostName(name)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network).withIpcMode("shareable")).exec().getId();
    client.startContainerCmd(sandbox).exec();
    String container = client.createContainerCmd(image).withName(name).withLabels(labels).withCmd(command)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + sandbox)
            .withIpcMode("container:" + sandbox)).exec().getId();
    client.startContainerCmd(container).exec();
    for (int attempt = 0; attempt < 200; attempt++) {
      if (Boolean.TRUE.equals(client.inspectContainerCmd(container).exec().getState().getRunning())) {
        return System.nanoTime() - start;
      }
      Thread.sleep(10);
    }
    throw new IOException("bare container " + name + " never ran");
  }

  /** Force-removes every container of this run (application containers first); returns how many. */
  int removeAll() {
    List<String> ids = new ArrayList<>();
    client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_LABEL, runId)).exec().stream()
        .sorted((a, b) -> Boolean.compare(a.getNames()[0].endsWith("-sandbox"), b.getNames()[0].endsWith("-sandbox")))
        .forEach(container -> ids.add(container.getId()));
    for (String id : ids) {
      try {
        client.removeContainerCmd(id).withForce(true).exec();
      } catch (RuntimeException e) {
        // already gone
      }
    }
    return ids.size();
  }

  /** Runs {@code docker <arguments>} and returns its standard output; fails on a non-zero exit or timeout. */
  static String docker(String... arguments) throws IOException, InterruptedException {
    List<String> commandLine = new ArrayList<>();
    commandLine.add("docker");
    commandLine.addAll(List.of(arguments));
    File output = File.createTempFile("minicluster-bench-docker", ".out");
    File error = File.createTempFile("minicluster-bench-docker", ".err");
    try {
      Process process = new ProcessBuilder(commandLine).redirectOutput(output).redirectError(error).start();
      if (!process.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + commandLine);
      }
      if (process.exitValue() != 0) {
        throw new IOException(commandLine + " exited " + process.exitValue() + ": "
            + Files.readString(error.toPath()).strip());
      }
      return Files.readString(output.toPath());
    } finally {
      output.delete();
      error.delete();
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
