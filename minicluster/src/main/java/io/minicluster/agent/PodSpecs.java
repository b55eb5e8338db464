package io.minicluster.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.json.Json;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.api.core.helper.QosClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the parts of a pod spec the agent needs, with the API's defaults applied where the spec omits them.
 * The typed methods read {@link Pod} records; the tree methods remain for the callers that still hold trees.
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
   * {@link io.minicluster.client.EventRecorder} reads of the object an event is about.
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

  private static void putIfSet(ObjectNode object, String field, String value) {
    if (value != null && !value.isEmpty()) {
      object.put(field, value);
    }
  }

  // Tree readers: PodWorker, PodActions and PodStatusBuilder use them until they read records.

  public static List<ObjectNode> containers(JsonNode pod) {
    return objects(Json.at(pod, "spec", "containers"));
  }

  public static List<ObjectNode> initContainers(JsonNode pod) {
    return objects(Json.at(pod, "spec", "initContainers"));
  }

  public static Optional<ObjectNode> container(JsonNode pod, String name) {
    for (ObjectNode container : containers(pod)) {
      if (name.equals(container.path("name").asText())) {
        return Optional.of(container);
      }
    }
    for (ObjectNode container : initContainers(pod)) {
      if (name.equals(container.path("name").asText())) {
        return Optional.of(container);
      }
    }
    return Optional.empty();
  }

  static List<ObjectNode> objects(JsonNode array) {
    List<ObjectNode> result = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode item : array) {
        if (item instanceof ObjectNode object) {
          result.add(object);
        }
      }
    }
    return result;
  }

  public static String name(JsonNode container) {
    return container.path("name").asText();
  }

  /** {@code spec.restartPolicy}, default Always. */
  public static String restartPolicy(JsonNode pod) {
    String policy = Json.textOrNull(pod, "spec", "restartPolicy");
    return policy == null || policy.isEmpty() ? "Always" : policy;
  }

  /** Whether an init container is a sidecar ({@code restartPolicy: Always} on the init container). */
  public static boolean sidecar(JsonNode initContainer) {
    return "Always".equals(initContainer.path("restartPolicy").asText());
  }

  /** {@code spec.terminationGracePeriodSeconds}, default 30, never negative. */
  public static long gracePeriod(JsonNode pod) {
    JsonNode grace = Json.at(pod, "spec", "terminationGracePeriodSeconds");
    return grace != null && grace.canConvertToLong() ? Math.max(0, grace.asLong()) : 30;
  }

  public static boolean hostNetwork(JsonNode pod) {
    return Json.at(pod, "spec", "hostNetwork") != null && Json.at(pod, "spec", "hostNetwork").asBoolean();
  }

  /**
   * A short stable hash of a container's spec; a change means the container must be re-created. It hashes the
   * container's JSON object as stored (keys sorted), not a record: running containers carry it in a label, and the
   * same spec must keep the same value across releases.
   */
  public static String hash(JsonNode container) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] bytes = digest.digest(Json.string(canonical(container)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(bytes, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = Json.object();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(String::compareTo);
      for (String name : names) {
        sorted.set(name, canonical(node.get(name)));
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = Json.array();
      node.forEach(item -> array.add(canonical(item)));
      return array;
    }
    return node;
  }

  /** {@code pod_namespace(uid)} as the kubelet formats a pod in messages. */
  public static String describe(JsonNode pod) {
    return Json.textOrNull(pod, "metadata", "name") + "_" + Json.textOrNull(pod, "metadata", "namespace") + "("
        + Json.textOrNull(pod, "metadata", "uid") + ")";
  }

  /** The kubelet's QoS class: Guaranteed, Burstable or BestEffort ({@link QosClass#of}). */
  public static String qosClass(JsonNode pod) {
    return QosClass.of(pod.path("spec"));
  }
}
