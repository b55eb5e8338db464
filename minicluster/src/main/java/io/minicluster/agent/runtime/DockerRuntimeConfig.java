package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@link DockerRuntime}.
 *
 * @param dockerHost engine endpoint ({@code unix:///var/run/docker.sock}, {@code tcp://127.0.0.1:2375})
 * @param networkName the pod bridge network
 * @param sandboxImage the preferred pause image (used if present or pullable)
 * @param localSandboxImage tag of the pause image built locally when the preferred one cannot be had
 * @param pullTimeout longest time one image pull may take
 */
public record DockerRuntimeConfig(
    String dockerHost, String networkName, String sandboxImage, String localSandboxImage, Duration pullTimeout) {
  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
  public static final String DEFAULT_NETWORK = "minicluster";
  public static final String DEFAULT_SANDBOX_IMAGE = "registry.k8s.io/pause:3.10";
  public static final String DEFAULT_LOCAL_SANDBOX_IMAGE = "minicluster.local/pause:1";
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(5);

  public DockerRuntimeConfig {
    requireNonNull(dockerHost, "dockerHost is null");
    requireNonNull(networkName, "networkName is null");
    requireNonNull(sandboxImage, "sandboxImage is null");
    requireNonNull(localSandboxImage, "localSandboxImage is null");
    requireNonNull(pullTimeout, "pullTimeout is null");
    if (networkName.isEmpty() || networkName.equals("host") || networkName.equals("bridge")
        || networkName.equals("none")) {
      throw new IllegalArgumentException("networkName must name a dedicated network: " + networkName);
    }
    ImageReference.parse(sandboxImage);
    ImageReference.parse(localSandboxImage);
  }

  /** Defaults, with the endpoint taken from {@code DOCKER_HOST} when set in {@code environment}. */
  public static DockerRuntimeConfig defaults(Map<String, String> environment) {
    String host = environment.getOrDefault("DOCKER_HOST", "");
    return new DockerRuntimeConfig(host.isBlank() ? DEFAULT_DOCKER_HOST : host, DEFAULT_NETWORK,
        DEFAULT_SANDBOX_IMAGE, DEFAULT_LOCAL_SANDBOX_IMAGE, DEFAULT_PULL_TIMEOUT);
  }

  public DockerRuntimeConfig withNetworkName(String value) {
    return new DockerRuntimeConfig(dockerHost, value, sandboxImage, localSandboxImage, pullTimeout);
  }

  public DockerRuntimeConfig withSandboxImage(String value) {
    return new DockerRuntimeConfig(dockerHost, networkName, value, localSandboxImage, pullTimeout);
  }

  public DockerRuntimeConfig withLocalSandboxImage(String value) {
    return new DockerRuntimeConfig(dockerHost, networkName, sandboxImage, value, pullTimeout);
  }

  public DockerRuntimeConfig withPullTimeout(Duration value) {
    return new DockerRuntimeConfig(dockerHost, networkName, sandboxImage, localSandboxImage, value);
  }
}
