package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.SleepAction of a lifecycle hook. */
public record SleepAction(long seconds) {

  public static SleepAction from(JsonNode node) {
    return new SleepAction(JsonValues.int64(node, "seconds"));
  }
}
