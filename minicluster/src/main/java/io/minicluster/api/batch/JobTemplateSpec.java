package io.minicluster.api.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** batch/v1 JobTemplateSpec: the metadata and spec of the Jobs a CronJob creates. */
public record JobTemplateSpec(ObjectMeta metadata, JobSpec spec) {

  public static JobTemplateSpec from(JsonNode node) {
    return new JobTemplateSpec(node == null ? ObjectMeta.EMPTY : ObjectMeta.of(node),
        JobSpec.from(JsonValues.child(node, "spec")));
  }
}
