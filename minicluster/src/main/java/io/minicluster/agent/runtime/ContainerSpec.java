package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container of a pod, joined to the pod's sandbox. Build with {@link #builder}.
 *
 * @param podUid pod {@code metadata.uid}
 * @param podName pod name
 * @param podNamespace pod namespace
 * @param containerName container name in the pod spec
 * @param restartCount how many times this container was restarted before; stored as a label, part of the name
 * @param sandboxId id of the running sandbox whose network (and IPC) namespaces the container joins
 * @param image image reference (as in the pod spec; must be present locally)
 * @param command Kubernetes {@code command} (Docker entrypoint); empty keeps the image's entrypoint
 * @param args Kubernetes {@code args} (Docker cmd); empty keeps the image's cmd (only if {@code command} is empty too)
 * @param env environment in order (variables already expanded)
 * @param workingDir working directory, empty for the image's
 * @param mounts bind and tmpfs mounts
 * @param resources CPU and memory
 * @param security user, privileges, capabilities, read-only root
 * @param tty allocate a TTY
 * @param stdin keep stdin open ({@code stdin: true})
 * @param stdinOnce close stdin after the first attach ends
 * @param shareProcessNamespace join the sandbox's PID namespace ({@code shareProcessNamespace: true})
 * @param hostPid use the host's PID namespace
 * @param configHash hash of the container spec it was created from, stored as a label (the pod worker compares it)
 * @param extraLabels further labels (e.g. termination message path); keys must not start with "io.minicluster."
 */
public record ContainerSpec(
    String podUid,
    String podName,
    String podNamespace,
    String containerName,
    int restartCount,
    String sandboxId,
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    String workingDir,
    List<MountSpec> mounts,
    ResourceSpec resources,
    SecuritySpec security,
    boolean tty,
    boolean stdin,
    boolean stdinOnce,
    boolean shareProcessNamespace,
    boolean hostPid,
    String configHash,
    Map<String, String> extraLabels) {

  public ContainerSpec {
    requireNonNull(podUid, "podUid is null");
    requireNonNull(podName, "podName is null");
    requireNonNull(podNamespace, "podNamespace is null");
    requireNonNull(containerName, "containerName is null");
    requireNonNull(sandboxId, "sandboxId is null");
    requireNonNull(image, "image is null");
    command = List.copyOf(requireNonNull(command, "command is null"));
    args = List.copyOf(requireNonNull(args, "args is null"));
    env = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(env, "env is null")));
    requireNonNull(workingDir, "workingDir is null");
    mounts = List.copyOf(requireNonNull(mounts, "mounts is null"));
    requireNonNull(resources, "resources is null");
    requireNonNull(security, "security is null");
    requireNonNull(configHash, "configHash is null");
    extraLabels = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(extraLabels, "extraLabels is null")));
    if (podUid.isEmpty() || podName.isEmpty() || podNamespace.isEmpty() || containerName.isEmpty()) {
      throw new IllegalArgumentException("podUid, podName, podNamespace and containerName must not be empty");
    }
    if (sandboxId.isEmpty() || image.isEmpty()) {
      throw new IllegalArgumentException("sandboxId and image must not be empty");
    }
    if (restartCount < 0) {
      throw new IllegalArgumentException("restartCount is negative");
    }
    for (String key : extraLabels.keySet()) {
      if (key.startsWith(RuntimeLabels.PREFIX)) {
        throw new IllegalArgumentException("extra label uses the reserved prefix: " + key);
      }
    }
  }

  public static Builder builder(String podUid, String podName, String podNamespace, String containerName) {
    return new Builder(podUid, podName, podNamespace, containerName);
  }

  /** Builder for {@link ContainerSpec}; every field not set has its "not set" default. */
  public static final class Builder {
    private final String podUid;
    private final String podName;
    private final String podNamespace;
    private final String containerName;
    private int restartCount;
    private String sandboxId = "";
    private String image = "";
    private List<String> command = new ArrayList<>();
    private List<String> args = new ArrayList<>();
    private Map<String, String> env = new LinkedHashMap<>();
    private String workingDir = "";
    private List<MountSpec> mounts = new ArrayList<>();
    private ResourceSpec resources = ResourceSpec.NONE;
    private SecuritySpec security = SecuritySpec.DEFAULT;
    private boolean tty;
    private boolean stdin;
    private boolean stdinOnce;
    private boolean shareProcessNamespace;
    private boolean hostPid;
    private String configHash = "";
    private Map<String, String> extraLabels = new LinkedHashMap<>();

    private Builder(String podUid, String podName, String podNamespace, String containerName) {
      this.podUid = podUid;
      this.podName = podName;
      this.podNamespace = podNamespace;
      this.containerName = containerName;
    }

    public Builder restartCount(int value) {
      this.restartCount = value;
      return this;
    }

    public Builder sandboxId(String value) {
      this.sandboxId = value;
      return this;
    }

    public Builder image(String value) {
      this.image = value;
      return this;
    }

    public Builder command(List<String> value) {
      this.command = value;
      return this;
    }

    public Builder args(List<String> value) {
      this.args = value;
      return this;
    }

    public Builder env(Map<String, String> value) {
      this.env = value;
      return this;
    }

    public Builder workingDir(String value) {
      this.workingDir = value;
      return this;
    }

    public Builder mounts(List<MountSpec> value) {
      this.mounts = value;
      return this;
    }

    public Builder resources(ResourceSpec value) {
      this.resources = value;
      return this;
    }

    public Builder security(SecuritySpec value) {
      this.security = value;
      return this;
    }

    public Builder tty(boolean value) {
      this.tty = value;
      return this;
    }

    public Builder stdin(boolean value) {
      this.stdin = value;
      return this;
    }

    public Builder stdinOnce(boolean value) {
      this.stdinOnce = value;
      return this;
    }

    public Builder shareProcessNamespace(boolean value) {
      this.shareProcessNamespace = value;
      return this;
    }

    public Builder hostPid(boolean value) {
      this.hostPid = value;
      return this;
    }

    public Builder configHash(String value) {
      this.configHash = value;
      return this;
    }

    public Builder extraLabels(Map<String, String> value) {
      this.extraLabels = value;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(podUid, podName, podNamespace, containerName, restartCount, sandboxId, image, command,
          args, env, workingDir, mounts, resources, security, tty, stdin, stdinOnce, shareProcessNamespace, hostPid,
          configHash, extraLabels);
    }
  }
}
