package io.minicluster.api.batch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** batch/v1 CronJob as consumers read it from an informer. */
public record CronJob(ObjectMeta metadata, CronJobSpec spec, CronJobStatus status) {

  public CronJob {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static CronJob from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new CronJob(ObjectMeta.of(object), CronJobSpec.from(JsonValues.child(object, "spec")),
        CronJobStatus.from(JsonValues.child(object, "status")));
  }
}
