package io.minicluster.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodIP;
import io.minicluster.api.core.PodStatus;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.EventRecorder;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the parts of a pod spec the agent needs, from {@link Pod} records, with the API's defaults applied
 * where the spec omits them.
 */
public final class PodSpecs {
  private PodSpecs() {}

  /** A container of the pod by name: app containers first, then init containers. */
  public static Optional<Container> container(Pod pod, String name) {
    for (Container container : pod.spec().containers()) {
      if (name.equals(container.name())) {
        return Optional.of(container);
      }
    }
    for (Container container : pod.spec().initContainers()) {
      if (name.equals(container.name())) {
        return Optional.of(container);
      }
    }
    return Optional.empty();
  }

  /** {@code spec.restartPolicy}, default Always. */
  public static String restartPolicy(Pod pod) {
    String policy = pod.spec().restartPolicy();
    return policy == null || policy.isEmpty() ? "Always" : policy;
  }

  /** Whether an init container is a sidecar ({@code restartPolicy: Always} on the init container). */
  public static boolean sidecar(Container initContainer) {
    return "Always".equals(initContainer.restartPolicy());
  }

  /** {@code spec.terminationGracePeriodSeconds}, default 30, never negative. */
  public static long gracePeriod(Pod pod) {
    Long grace = pod.spec().terminationGracePeriodSeconds();
    return grace == null ? 30 : Math.max(0, grace);
  }

  /** imagePullPolicy, defaulted like the API: Always for ":latest" or untagged images, IfNotPresent otherwise. */
  public static String pullPolicy(Container container) {
    String policy = container.imagePullPolicy();
    return policy.isEmpty() ? PodSpecDefaults.defaultPullPolicy(container.image()) : policy;
  }

  /** {@code pod_namespace(uid)} as the kubelet formats a pod in messages. */
  public static String describe(Pod pod) {
    ObjectMeta meta = pod.metadata();
    return nullIfEmpty(meta.name()) + "_" + nullIfEmpty(meta.namespace()) + "(" + nullIfEmpty(meta.uid()) + ")";
  }

  private static String nullIfEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The pod as an event's involved object (kind, apiVersion, name, namespace, uid, resourceVersion): what
   * {@link EventRecorder} reads of the object an event is about.
   */
  public static ObjectNode eventTarget(Pod pod) {
    ObjectNode target = Json.object();
    target.put("apiVersion", "v1");
    target.put("kind", "Pod");
    ObjectNode metadata = target.putObject("metadata");
    ObjectMeta meta = pod.metadata();
    putIfSet(metadata, "name", meta.name());
    putIfSet(metadata, "namespace", meta.namespace());
    putIfSet(metadata, "uid", meta.uid());
    putIfSet(metadata, "resourceVersion", meta.resourceVersion());
    return target;
  }

  /**
   * The pod with the IPs its containers see in their environment ({@code status.podIP}, {@code status.hostIP} and
   * their lists), which the stored status may not have yet.
   */
  public static Pod withIps(Pod pod, String podIp, String hostIp) {
    PodStatus status = pod.status();
    return new Pod(pod.metadata(), pod.spec(), new PodStatus(status.observedGeneration(), status.phase(),
        status.conditions(), status.message(), status.reason(), status.nominatedNodeName(), hostIp,
        List.of(new PodIP(hostIp)), podIp, List.of(new PodIP(podIp)), status.startTime(),
        status.initContainerStatuses(), status.containerStatuses(), status.qosClass(),
        status.ephemeralContainerStatuses()));
  }

  private static void putIfSet(ObjectNode object, String field, String value) {
    if (value != null && !value.isEmpty()) {
      object.put(field, value);
    }
  }
}
