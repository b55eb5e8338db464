package io.minicluster.api.coordination;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;
import java.time.Instant;

/**
 * coordination.k8s.io/v1 Lease, the fields its readers use: who holds it and when it was last renewed (null when
 * never), for how long a renewal counts (null when unset).
 */
public record Lease(ObjectMeta metadata, String holderIdentity, Instant renewTime, Integer leaseDurationSeconds) {

  public Lease {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(holderIdentity, "holderIdentity is null");
  }

  public static Lease from(ObjectNode object) {
    requireNonNull(object, "object is null");
    JsonNode spec = JsonValues.child(object, "spec");
    return new Lease(ObjectMeta.of(object), JsonValues.string(spec, "holderIdentity"),
        JsonValues.time(spec, "renewTime"), JsonValues.optionalInt32(spec, "leaseDurationSeconds"));
  }
}
