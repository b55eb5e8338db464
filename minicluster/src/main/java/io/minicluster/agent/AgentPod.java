package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A pod as the node agent reads it from the shared informer ({@link #KIND}, decoded once per object version): the
 * {@link Pod} record, and the config hash of each container and init container by name ({@link #hash}).
 *
 * <p>The hashes are taken at the informer boundary because they hash each container's JSON object as stored, which a
 * record cannot give back (it holds the fields it models): running containers carry the hash in a label, and the same
 * spec must keep the same value across releases, or every container would be restarted as "definition changed".
 *
 * @param configHashes each container's hash by name (app containers first: names are unique in a valid pod)
 */
public record AgentPod(Pod pod, Map<String, String> configHashes) {
  /** The pods as the agent reads them. */
  public static final Kind<AgentPod> KIND = new Kind<>(ResourceTypes.PODS, AgentPod::from);

  public AgentPod {
    requireNonNull(pod, "pod is null");
    configHashes = Map.copyOf(configHashes);
  }

  /** The pod of an object version, with its containers' hashes. */
  public static AgentPod from(ObjectNode object) {
    requireNonNull(object, "object is null");
    Map<String, String> hashes = new HashMap<>();
    for (String list : new String[] {"containers", "initContainers"}) {
      for (ObjectNode container : Json.objects(Json.get(object, "spec"), list)) {
        hashes.putIfAbsent(container.path("name").asText(), hash(container));
      }
    }
    return new AgentPod(Pod.from(object), hashes);
  }

  /** The config hash of a container of the pod ("" for a container it does not have). */
  public String configHash(Container container) {
    return configHashes.getOrDefault(container.name(), "");
  }

  public String uid() {
    return pod.metadata().uid();
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
}

