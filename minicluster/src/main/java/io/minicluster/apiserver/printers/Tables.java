package io.minicluster.apiserver.printers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;

/**
 * Builds meta.k8s.io/v1 Table responses, as the apiserver's table generator and handlers/response.go asTable do.
 *
 * <p>Shape: {@code metadata} always present (resourceVersion, continue, remainingItemCount only when set);
 * {@code columnDefinitions} is JSON null when headers are suppressed; {@code rows} is always an array; each row has
 * {@code cells}, {@code conditions} only when non-empty, and {@code object}: the PartialObjectMetadata
 * (includeObject=Metadata, the default), the full object (Object), or JSON null (None).
 */
public final class Tables {
  public static final String INCLUDE_NONE = "None";
  public static final String INCLUDE_METADATA = "Metadata";
  public static final String INCLUDE_OBJECT = "Object";

  private Tables() {}

  /**
   * Builds a Table.
   *
   * @param printer the kind's printer, from {@link TablePrinters#forKind}
   * @param objects the objects, one row each, in order
   * @param now the instant ages are measured against
   * @param includeObject "None", "Metadata" or "Object"; null or "" mean "Metadata"
   * @param noHeaders whether to omit column definitions (watch events after the first)
   * @param resourceVersion the list's resourceVersion, or for a single object its own; null or "" to omit
   * @param continueToken the list's continue token; null or "" to omit
   * @param remainingItemCount the list's remainingItemCount; null to omit
   * @throws ApiException 400 BadRequest for an unknown includeObject value
   */
  public static ObjectNode build(TablePrinter printer, List<ObjectNode> objects, Instant now, String includeObject,
      boolean noHeaders, String resourceVersion, String continueToken, Long remainingItemCount) {
    requireNonNull(printer, "printer is null");
    requireNonNull(objects, "objects is null");
    requireNonNull(now, "now is null");
    String include = includeObject == null || includeObject.isEmpty() ? INCLUDE_METADATA : includeObject;
    if (!include.equals(INCLUDE_NONE) && !include.equals(INCLUDE_METADATA) && !include.equals(INCLUDE_OBJECT)) {
      throw ApiException.badRequest("unrecognized includeObject value: \"" + includeObject + "\"");
    }

    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      metadata.put("continue", continueToken);
    }
    if (remainingItemCount != null) {
      metadata.put("remainingItemCount", remainingItemCount);
    }
    if (noHeaders) {
      table.putNull("columnDefinitions");
    } else {
      ArrayNode columns = table.putArray("columnDefinitions");
      for (Column column : printer.columns()) {
        ObjectNode definition = columns.addObject();
        definition.put("name", column.name());
        definition.put("type", column.type());
        definition.put("format", column.format());
        definition.put("description", column.description());
        definition.put("priority", column.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : printer.cells(object, now)) {
        addCell(cells, cell);
      }
      List<RowCondition> conditions = printer.conditions(object);
      if (!conditions.isEmpty()) {
        ArrayNode array = row.putArray("conditions");
        for (RowCondition condition : conditions) {
          ObjectNode node = array.addObject();
          node.put("type", condition.type());
          node.put("status", condition.status());
          if (condition.reason() != null && !condition.reason().isEmpty()) {
            node.put("reason", condition.reason());
          }
          if (condition.message() != null && !condition.message().isEmpty()) {
            node.put("message", condition.message());
          }
        }
      }
      switch (include) {
        case INCLUDE_OBJECT -> row.set("object", object.deepCopy());
        case INCLUDE_METADATA -> row.set("object", partialObjectMetadata(object));
        default -> row.putNull("object");
      }
    }
    return table;
  }

  /** A PartialObjectMetadata carrying the object's full metadata. */
  public static ObjectNode partialObjectMetadata(ObjectNode object) {
    ObjectNode partial = Json.object();
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", "meta.k8s.io/v1");
    JsonNode metadata = object.get("metadata");
    partial.set("metadata", metadata != null && metadata.isObject() ? metadata.deepCopy() : Json.object());
    return partial;
  }

  private static void addCell(ArrayNode cells, Object cell) {
    if (cell == null) {
      cells.addNull();
    } else if (cell instanceof String text) {
      cells.add(text);
    } else if (cell instanceof Long number) {
      cells.add(number);
    } else if (cell instanceof Integer number) {
      cells.add(number);
    } else if (cell instanceof Boolean bool) {
      cells.add(bool);
    } else if (cell instanceof Double number) {
      cells.add(number);
    } else {
      throw new IllegalArgumentException("unsupported cell type " + cell.getClass().getName());
    }
  }
}
