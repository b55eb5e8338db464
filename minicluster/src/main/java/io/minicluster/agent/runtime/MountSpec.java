package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

/**
 * A mount into a container.
 *
 * @param kind bind mount of a host path, or a tmpfs
 * @param source host path for {@link Kind#BIND}, empty for {@link Kind#TMPFS}
 * @param target absolute path in the container
 * @param readOnly mount read-only
 * @param tmpfsSizeBytes size limit of a tmpfs, 0 for the engine default
 */
public record MountSpec(Kind kind, String source, String target, boolean readOnly, long tmpfsSizeBytes) {
  /** Mount kinds. */
  public enum Kind {
    BIND,
    TMPFS
  }

  public MountSpec {
    requireNonNull(kind, "kind is null");
    requireNonNull(source, "source is null");
    requireNonNull(target, "target is null");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("mount target must be absolute: " + target);
    }
    if (kind == Kind.BIND && !source.startsWith("/")) {
      throw new IllegalArgumentException("bind mount source must be an absolute host path: " + source);
    }
    if (tmpfsSizeBytes < 0) {
      throw new IllegalArgumentException("tmpfsSizeBytes is negative");
    }
  }

  public static MountSpec bind(String hostPath, String containerPath, boolean readOnly) {
    return new MountSpec(Kind.BIND, hostPath, containerPath, readOnly, 0);
  }

  public static MountSpec tmpfs(String containerPath, long sizeBytes) {
    return new MountSpec(Kind.TMPFS, "", containerPath, false, sizeBytes);
  }
}
