package io.minicluster.registry.namespace;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.SubresourceStrategy;
import io.minicluster.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The namespaces/finalize subresource (pkg/registry/core/namespace/storage: FinalizeREST with the finalize
 * strategy): changes spec.finalizers and nothing else; a namespace being deleted whose last finalizer goes is removed.
 */
public final class FinalizeOperation {
  /** namespaceFinalizeStrategy: status stays, the finalizers must be valid names. */
  private static final SubresourceStrategy STRATEGY = new SubresourceStrategy() {
    @Override
    public String subresource() {
      return "finalize";
    }

    @Override
    public void prepareForUpdate(ObjectNode namespace, ObjectNode old) {
      JsonNode status = old.get("status");
      if (status == null) {
        namespace.remove("status");
      } else {
        namespace.set("status", status.deepCopy());
      }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode namespace, ObjectNode old) {
      List<FieldError> errors = new ArrayList<>();
      List<String> finalizers = Json.strings(Json.get(namespace, "spec"), "finalizers");
      for (int i = 0; i < finalizers.size(); i++) {
        errors.addAll(NamespaceStrategy.validateFinalizerName(finalizers.get(i), "spec.finalizers[" + i + "]"));
      }
      return errors;
    }
  };

  private final GenericRegistry namespaces;

  public FinalizeOperation(GenericRegistry namespaces) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
  }

  /**
   * Replaces the namespace's spec.finalizers with what the change makes of the current ones (read-modify-write with
   * retries on conflict); an empty list removes the field. A change returning null leaves the namespace unchanged.
   *
   * @return the namespace as stored afterwards (as it was last stored when it is gone)
   */
  public ObjectNode update(String name, UnaryOperator<List<String>> change, WriteOptions options) {
    requireNonNull(name, "name is null");
    requireNonNull(change, "change is null");
    requireNonNull(options, "options is null");
    return namespaces.guaranteedUpdate(null, name, current -> {
      List<String> desired = change.apply(Json.strings(Json.get(current, "spec"), "finalizers"));
      if (desired == null) {
        return null;
      }
      ObjectNode spec = Json.with(current, "spec");
      if (desired.isEmpty()) {
        spec.remove("finalizers");
      } else {
        ArrayNode array = spec.putArray("finalizers");
        desired.forEach(array::add);
      }
      return current;
    }, options, STRATEGY);
  }
}
