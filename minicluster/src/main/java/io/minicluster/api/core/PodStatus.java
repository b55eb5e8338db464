package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** v1.PodStatus (resize fields and resource claim statuses are not modelled). */
public record PodStatus(long observedGeneration, String phase, List<Condition> conditions, String message,
    String reason, String nominatedNodeName, String hostIP, List<PodIP> hostIPs, String podIP, List<PodIP> podIPs,
    Instant startTime, List<ContainerStatus> initContainerStatuses, List<ContainerStatus> containerStatuses,
    String qosClass, List<ContainerStatus> ephemeralContainerStatuses) {

  public static final PodStatus EMPTY = from(null);

  public PodStatus {
    conditions = List.copyOf(conditions);
    hostIPs = List.copyOf(hostIPs);
    podIPs = List.copyOf(podIPs);
    initContainerStatuses = List.copyOf(initContainerStatuses);
    containerStatuses = List.copyOf(containerStatuses);
    ephemeralContainerStatuses = List.copyOf(ephemeralContainerStatuses);
  }

  /** The status object; an empty status for null. */
  public static PodStatus from(JsonNode node) {
    return new PodStatus(JsonValues.int64(node, "observedGeneration"), JsonValues.string(node, "phase"),
        Condition.list(node), JsonValues.string(node, "message"), JsonValues.string(node, "reason"),
        JsonValues.string(node, "nominatedNodeName"), JsonValues.string(node, "hostIP"),
        JsonValues.list(node, "hostIPs", PodIP::from), JsonValues.string(node, "podIP"),
        JsonValues.list(node, "podIPs", PodIP::from), JsonValues.time(node, "startTime"),
        JsonValues.list(node, "initContainerStatuses", ContainerStatus::from),
        JsonValues.list(node, "containerStatuses", ContainerStatus::from), JsonValues.string(node, "qosClass"),
        JsonValues.list(node, "ephemeralContainerStatuses", ContainerStatus::from));
  }

  /** The condition of a type (PodScheduled, Initialized, ContainersReady, Ready...). */
  public Optional<Condition> condition(String type) {
    return Condition.find(conditions, type);
  }

  /** The status of a container or init container by name. */
  public Optional<ContainerStatus> containerStatus(String name) {
    for (ContainerStatus status : containerStatuses) {
      if (status.name().equals(name)) {
        return Optional.of(status);
      }
    }
    for (ContainerStatus status : initContainerStatuses) {
      if (status.name().equals(name)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
