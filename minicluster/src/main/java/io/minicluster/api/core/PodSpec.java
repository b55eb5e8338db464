package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * v1.PodSpec, the fields the scheduler and node agent read (readiness gates, pod affinity, topology spread, os and
 * resource claims are not modelled). securityContext, affinity and dnsConfig are null when unset.
 */
public record PodSpec(List<Volume> volumes, List<Container> initContainers, List<Container> containers,
    String restartPolicy, Long terminationGracePeriodSeconds, Long activeDeadlineSeconds, String dnsPolicy,
    Map<String, String> nodeSelector, String serviceAccountName, String serviceAccount,
    Boolean automountServiceAccountToken, String nodeName, boolean hostNetwork, boolean hostPID, boolean hostIPC,
    Boolean shareProcessNamespace, PodSecurityContext securityContext, List<LocalObjectReference> imagePullSecrets,
    String hostname, String subdomain, Affinity affinity, String schedulerName, List<Toleration> tolerations,
    List<HostAlias> hostAliases, String priorityClassName, Integer priority, PodDNSConfig dnsConfig,
    String runtimeClassName, Boolean enableServiceLinks, String preemptionPolicy, Map<String, Quantity> overhead,
    List<PodSchedulingGate> schedulingGates, List<EphemeralContainer> ephemeralContainers) {

  /** The scheduler of pods that name none (v1.DefaultSchedulerName). */
  public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";
  public static final PodSpec EMPTY = from(null);

  public PodSpec {
    volumes = List.copyOf(volumes);
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
    nodeSelector = Map.copyOf(nodeSelector);
    imagePullSecrets = List.copyOf(imagePullSecrets);
    tolerations = List.copyOf(tolerations);
    hostAliases = List.copyOf(hostAliases);
    overhead = Map.copyOf(overhead);
    schedulingGates = List.copyOf(schedulingGates);
    ephemeralContainers = List.copyOf(ephemeralContainers);
  }

  /** The spec object; an empty spec for null. */
  public static PodSpec from(JsonNode node) {
    return new PodSpec(JsonValues.list(node, "volumes", Volume::from),
        JsonValues.list(node, "initContainers", Container::from), JsonValues.list(node, "containers", Container::from),
        JsonValues.string(node, "restartPolicy"), JsonValues.optionalInt64(node, "terminationGracePeriodSeconds"),
        JsonValues.optionalInt64(node, "activeDeadlineSeconds"), JsonValues.string(node, "dnsPolicy"),
        JsonValues.stringMap(node, "nodeSelector"), JsonValues.string(node, "serviceAccountName"),
        JsonValues.string(node, "serviceAccount"), JsonValues.optionalBool(node, "automountServiceAccountToken"),
        JsonValues.string(node, "nodeName"), JsonValues.bool(node, "hostNetwork"), JsonValues.bool(node, "hostPID"),
        JsonValues.bool(node, "hostIPC"), JsonValues.optionalBool(node, "shareProcessNamespace"),
        JsonValues.optional(node, "securityContext", PodSecurityContext::from),
        JsonValues.list(node, "imagePullSecrets", LocalObjectReference::from), JsonValues.string(node, "hostname"),
        JsonValues.string(node, "subdomain"), JsonValues.optional(node, "affinity", Affinity::from),
        JsonValues.string(node, "schedulerName"), JsonValues.list(node, "tolerations", Toleration::from),
        JsonValues.list(node, "hostAliases", HostAlias::from), JsonValues.string(node, "priorityClassName"),
        JsonValues.optionalInt32(node, "priority"), JsonValues.optional(node, "dnsConfig", PodDNSConfig::from),
        JsonValues.optionalString(node, "runtimeClassName"), JsonValues.optionalBool(node, "enableServiceLinks"),
        JsonValues.optionalString(node, "preemptionPolicy"), JsonValues.quantities(node, "overhead"),
        JsonValues.list(node, "schedulingGates", PodSchedulingGate::from),
        JsonValues.list(node, "ephemeralContainers", EphemeralContainer::from));
  }

  /** The container or init container of a name. */
  public Optional<Container> container(String name) {
    for (Container container : containers) {
      if (container.name().equals(name)) {
        return Optional.of(container);
      }
    }
    for (Container container : initContainers) {
      if (container.name().equals(name)) {
        return Optional.of(container);
      }
    }
    return Optional.empty();
  }
}
