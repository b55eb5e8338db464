package io.minicluster.registry.certificates;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.SubresourceStrategy;
import io.minicluster.registry.WriteOptions;
import java.time.Clock;
import java.util.List;

/**
 * The certificatesigningrequests/approval subresource (ApprovalREST with csrApprovalStrategy): an update that changes
 * status.conditions only, and the one write that may add the Approved or Denied condition ({@code kubectl certificate
 * approve|deny}).
 */
public final class ApprovalOperation {
  private final GenericRegistry requests;
  private final SubresourceStrategy strategy;

  public ApprovalOperation(GenericRegistry requests, Clock clock) {
    this.requests = requireNonNull(requests, "requests is null");
    requireNonNull(clock, "clock is null");
    this.strategy = new SubresourceStrategy() {
      @Override
      public void prepareForUpdate(ObjectNode csr, ObjectNode old) {
        JsonNode conditions = Json.at(csr, "status", "conditions");
        csr.set("spec", old.has("spec") ? old.get("spec").deepCopy() : Json.object());
        ObjectNode status = old.has("status") && old.get("status").isObject()
            ? ((ObjectNode) old.get("status")).deepCopy() : Json.object();
        if (conditions == null || conditions.isNull()) {
          status.remove("conditions");
        } else {
          status.set("conditions", conditions.deepCopy());
        }
        csr.set("status", status);
        CertificateSigningRequestStrategy.populateConditionTimestamps(csr, old, clock.instant());
      }

      @Override
      public List<FieldError> validateUpdate(ObjectNode csr, ObjectNode old) {
        return CertificateSigningRequestStrategy.validateUpdate(csr, old, false, true);
      }
    };
  }

  /** Replaces the request's conditions with those of {@code csr} (PUT of the subresource). */
  public ObjectNode update(String name, ObjectNode csr, WriteOptions options) {
    requireNonNull(name, "name is null");
    requireNonNull(csr, "csr is null");
    requireNonNull(options, "options is null");
    return requests.guaranteedUpdate(null, name, current -> {
      ObjectNode desired = csr.deepCopy();
      ObjectNode metadata = Json.with(desired, "metadata");
      if (Json.text(metadata, "resourceVersion").isEmpty()) {
        metadata.put("resourceVersion", Json.textOrNull(current, "metadata", "resourceVersion"));
      }
      return desired;
    }, options, strategy);
  }
}
