package io.minicluster.registry.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.StorageConversion;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * events.k8s.io/v1 Event to and from the stored core/v1 Event, field for field as the apiserver's conversion
 * (pkg/apis/events/v1): regarding = involvedObject, note = message, reportingController = reportingComponent,
 * deprecatedSource = source, deprecatedFirstTimestamp/deprecatedLastTimestamp/deprecatedCount = firstTimestamp/
 * lastTimestamp/count; metadata, eventTime, series, action, reason, type, related and reportingInstance keep their
 * names.
 */
public final class EventConversion implements StorageConversion {
  /** events.k8s.io/v1 name → core/v1 name of the fields that differ. */
  private static final Map<String, String> V1_TO_CORE = Map.of(
      "regarding", "involvedObject",
      "note", "message",
      "reportingController", "reportingComponent",
      "deprecatedSource", "source",
      "deprecatedFirstTimestamp", "firstTimestamp",
      "deprecatedLastTimestamp", "lastTimestamp",
      "deprecatedCount", "count");
  private static final Map<String, String> CORE_TO_V1 = invert(V1_TO_CORE);

  /** Stored with, and as, the core/v1 events. */
  @Override
  public ResourceType storedAs(ResourceType served) {
    return ResourceTypes.EVENTS;
  }

  @Override
  public ObjectNode toStorage(ObjectNode served) {
    return rename(requireNonNull(served, "served is null"), V1_TO_CORE, "v1");
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    return rename(requireNonNull(stored, "stored is null"), CORE_TO_V1, "events.k8s.io/v1");
  }

  private static ObjectNode rename(ObjectNode object, Map<String, String> names, String apiVersion) {
    ObjectNode converted = Json.object();
    converted.put("kind", "Event");
    converted.put("apiVersion", apiVersion);
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (name.equals("kind") || name.equals("apiVersion")) {
        continue;
      }
      // Shared, not copied: the registry converts a tree it has just parsed, or one it only serializes.
      converted.set(names.getOrDefault(name, name), field.getValue());
    }
    return converted;
  }

  private static Map<String, String> invert(Map<String, String> map) {
    return map.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));
  }
}
