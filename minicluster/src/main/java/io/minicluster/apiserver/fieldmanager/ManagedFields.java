package io.minicluster.apiserver.fieldmanager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of {@code metadata.managedFields}, decoded as the apiserver does (DecodeManagedFields) into one field
 * set per manager identity, and encoded back sorted as it sorts them.
 */
public final class ManagedFields {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  /**
   * Who owns a set: the manager, its operation, the apiVersion (of updaters only: an applier is the same whatever
   * version it applies in) and the subresource.
   */
  public record Identity(String manager, String operation, String apiVersion, String subresource) {
    public Identity {
      requireNonNull(manager, "manager is null");
      requireNonNull(operation, "operation is null");
      requireNonNull(apiVersion, "apiVersion is null");
      requireNonNull(subresource, "subresource is null");
    }

    public static Identity of(String manager, String operation, String apiVersion, String subresource) {
      return new Identity(manager, operation, operation.equals(APPLY) ? "" : apiVersion, subresource);
    }

    /** As the conflict messages print a manager: {@code "kubectl-client-side-apply" using apps/v1}. */
    public String describe() {
      String described = Json.string(Json.MAPPER.getNodeFactory().textNode(manager));
      if (!subresource.isEmpty()) {
        described += " with subresource " + Json.string(Json.MAPPER.getNodeFactory().textNode(subresource));
      }
      return operation.equals(UPDATE) ? described + " using " + apiVersion : described;
    }
  }

  /** One entry: its fields, the apiVersion they are in and when they were last changed (null: unknown). */
  public record Entry(FieldSet fields, String apiVersion, String time) {
    public Entry {
      requireNonNull(fields, "fields is null");
      requireNonNull(apiVersion, "apiVersion is null");
    }
  }

  private final Map<Identity, Entry> entries;

  private ManagedFields(Map<Identity, Entry> entries) {
    this.entries = entries;
  }

  public static ManagedFields empty() {
    return new ManagedFields(new LinkedHashMap<>());
  }

  /** The entries, by identity (mutable: the field manager edits them in place). */
  public Map<Identity, Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Decodes {@code metadata.managedFields}; a missing or null value is empty.
   *
   * @throws IllegalArgumentException as DecodeManagedFields fails: an operation other than Apply/Update, an empty
   *     apiVersion, a fieldsType other than FieldsV1, fieldsV1 that is not a field set
   */
  public static ManagedFields decode(JsonNode managedFields) {
    ManagedFields result = empty();
    if (managedFields == null || managedFields.isNull()) {
      return result;
    }
    if (!managedFields.isArray()) {
      throw new IllegalArgumentException("managedFields must be a list");
    }
    for (int i = 0; i < managedFields.size(); i++) {
      JsonNode entry = managedFields.get(i);
      String operation = text(entry, "operation");
      if (!operation.equals(APPLY) && !operation.equals(UPDATE)) {
        throw new IllegalArgumentException("operation must be `Apply` or `Update`");
      }
      String apiVersion = text(entry, "apiVersion");
      if (apiVersion.isEmpty()) {
        throw new IllegalArgumentException("apiVersion must not be empty");
      }
      String fieldsType = text(entry, "fieldsType");
      if (fieldsType.isEmpty()) {
        throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
      }
      if (!fieldsType.equals("FieldsV1")) {
        throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\" in managed fields entry " + i);
      }
      JsonNode fields = entry.get("fieldsV1");
      FieldSet set = fields == null || fields.isNull() ? new FieldSet() : FieldSet.fromFieldsV1(fields);
      JsonNode time = entry.get("time");
      result.entries.put(Identity.of(text(entry, "manager"), operation, apiVersion, text(entry, "subresource")),
          new Entry(set, apiVersion, time == null || time.isNull() ? null : time.asText()));
    }
    return result;
  }

  /**
   * Whether a client asks to reset managedFields: an empty list, or a list of one empty entry (isResetManagedFields).
   */
  public static boolean isReset(JsonNode managedFields) {
    return managedFields != null && managedFields.isArray()
        && (managedFields.isEmpty() || (managedFields.size() == 1 && managedFields.get(0).isObject()
        && managedFields.get(0).isEmpty()));
  }

  /** The entries as {@code metadata.managedFields}, sorted as the apiserver sorts them; null when there are none. */
  public ArrayNode encode() {
    if (entries.isEmpty()) {
      return null;
    }
    List<Map.Entry<Identity, Entry>> sorted = new ArrayList<>(entries.entrySet());
    sorted.sort(Comparator.<Map.Entry<Identity, Entry>, String>comparing(e -> e.getKey().operation())
        .thenComparing(e -> e.getValue().time() == null ? "" : e.getValue().time())
        .thenComparing(e -> e.getKey().manager())
        .thenComparing(e -> e.getValue().apiVersion())
        .thenComparing(e -> e.getKey().subresource()));
    ArrayNode list = Json.array();
    for (Map.Entry<Identity, Entry> e : sorted) {
      ObjectNode entry = list.addObject();
      if (!e.getKey().manager().isEmpty()) {
        entry.put("manager", e.getKey().manager());
      }
      entry.put("operation", e.getKey().operation());
      entry.put("apiVersion", e.getValue().apiVersion());
      if (e.getValue().time() != null) {
        entry.put("time", e.getValue().time());
      }
      entry.put("fieldsType", "FieldsV1");
      entry.set("fieldsV1", e.getValue().fields().toFieldsV1());
      if (!e.getKey().subresource().isEmpty()) {
        entry.put("subresource", e.getKey().subresource());
      }
    }
    return list;
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }
}
