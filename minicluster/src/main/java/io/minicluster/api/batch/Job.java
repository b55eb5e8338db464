package io.minicluster.api.batch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** batch/v1 Job as consumers read it from an informer. */
public record Job(ObjectMeta metadata, JobSpec spec, JobStatus status) {

  public Job {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static Job from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Job(ObjectMeta.of(object), JobSpec.from(JsonValues.child(object, "spec")),
        JobStatus.from(JsonValues.child(object, "status")));
  }
}
