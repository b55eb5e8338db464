package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

/**
 * A started sandbox.
 *
 * @param id engine container id of the sandbox
 * @param ipAddress the pod IP on the pod network, reachable from the host; empty with host network (the pod IP is
 *     then the node's IP, which the caller knows)
 */
public record SandboxInfo(String id, String ipAddress) {
  public SandboxInfo {
    requireNonNull(id, "id is null");
    requireNonNull(ipAddress, "ipAddress is null");
  }
}
