package io.minicluster.registry.pod;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.SubresourceStrategy;
import io.minicluster.registry.WriteOptions;
import java.time.Clock;
import java.util.List;

/**
 * Binding a pod to a node (pkg/registry/core/pod/storage: BindingREST): validates the Binding, then assigns the pod
 * with the rules of {@link PodBinding}. The one path of POST bindings, POST pods/{name}/binding and the scheduler.
 */
public final class BindingOperation {
  /**
   * What a binding may change of its pod: spec.nodeName, annotations (metadata rules), the PodScheduled condition and
   * status.nominatedNodeName (cleared); the rest of spec and status stays as stored.
   */
  private static final SubresourceStrategy STRATEGY = new SubresourceStrategy() {
    @Override
    public String subresource() {
      return "binding";
    }

    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
      ObjectNode spec = old.has("spec") ? ((ObjectNode) old.get("spec")).deepCopy() : Json.object();
      String nodeName = Json.textOrNull(pod, "spec", "nodeName");
      if (nodeName != null) {
        spec.put("nodeName", nodeName);
      }
      pod.set("spec", spec);
      ObjectNode status = old.has("status") ? ((ObjectNode) old.get("status")).deepCopy() : Json.object();
      JsonNode conditions = Json.at(pod, "status", "conditions");
      if (conditions != null) {
        status.set("conditions", conditions.deepCopy());
      }
      if (Json.at(pod, "status", "nominatedNodeName") == null) {
        status.remove("nominatedNodeName");
      }
      pod.set("status", status);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
      return List.of();
    }
  };

  private final GenericRegistry pods;
  private final Clock clock;

  public BindingOperation(GenericRegistry pods, Clock clock) {
    this.pods = requireNonNull(pods, "pods is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** A v1 Binding of a pod (with its uid as precondition when not null) to a node. */
  public static ObjectNode binding(String podName, String uid, String nodeName) {
    ObjectNode binding = Json.object();
    binding.put("kind", ResourceTypes.BINDINGS.kind());
    binding.put("apiVersion", ResourceTypes.BINDINGS.apiVersion());
    ObjectNode metadata = binding.putObject("metadata");
    metadata.put("name", podName);
    if (uid != null && !uid.isEmpty()) {
      metadata.put("uid", uid);
    }
    ObjectNode target = binding.putObject("target");
    target.put("kind", "Node");
    target.put("name", nodeName);
    return binding;
  }

  /**
   * Binds the pod a Binding names.
   *
   * @param podName the pod of the URL (pods/{name}/binding), or null for POST bindings, where the Binding names it
   * @return the pod as stored after binding
   * @throws ApiException 422 for an invalid Binding, 400 when it names another pod than the URL, 409 when the pod is
   *     already assigned, being deleted or has another uid, 404 when it does not exist
   */
  public ObjectNode bind(String namespace, String podName, ObjectNode binding, WriteOptions options) {
    requireNonNull(binding, "binding is null");
    requireNonNull(options, "options is null");
    String bindingName = Meta.name(binding);
    String name = podName != null ? podName : bindingName;
    if (name == null || name.isEmpty()) {
      throw ApiException.invalid(ResourceTypes.BINDINGS, "", List.of(FieldError.required("metadata.name", "")));
    }
    if (podName != null && bindingName != null && !bindingName.equals(podName)) {
      throw ApiException.badRequest("the name of the object (" + bindingName
          + ") does not match the name on the URL (" + podName + ")");
    }
    String node = Json.textOrNull(binding, "target", "name");
    String targetKind = Json.textOrNull(binding, "target", "kind");
    if (node == null || node.isEmpty()) {
      throw ApiException.invalid(ResourceTypes.BINDINGS, name, List.of(FieldError.required("target.name", "")));
    }
    if (targetKind != null && !targetKind.isEmpty() && !targetKind.equals("Node")) {
      throw ApiException.invalid(ResourceTypes.BINDINGS, name,
          List.of(FieldError.notSupported("target.kind", targetKind, List.of("Node"))));
    }
    String expectedUid = Json.textOrNull(binding, "metadata", "uid");
    JsonNode annotations = Json.at(binding, "metadata", "annotations");
    String now = Meta.timestamp(clock.instant());
    return pods.guaranteedUpdate(namespace, name,
        pod -> PodBinding.bind(pod, node, expectedUid, annotations, now), options, STRATEGY);
  }
}
