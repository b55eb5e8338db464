package io.minicluster.api.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;
import java.util.List;

/** batch/v1 CronJobStatus; the times are null when unset. */
public record CronJobStatus(List<ObjectReference> active, Instant lastScheduleTime, Instant lastSuccessfulTime) {

  public CronJobStatus {
    active = List.copyOf(active);
  }

  public static CronJobStatus from(JsonNode node) {
    return new CronJobStatus(JsonValues.list(node, "active", ObjectReference::from),
        JsonValues.time(node, "lastScheduleTime"), JsonValues.time(node, "lastSuccessfulTime"));
  }
}
