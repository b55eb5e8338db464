package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;
import io.minicluster.store.Store;

/**
 * The stored bytes of one resource's objects: the storage conversion's form, without metadata.resourceVersion (the
 * store's revision of the key is the resourceVersion, set again on the way out).
 */
public final class StoredForm {
  private final StorageConversion conversion;

  public StoredForm(StorageConversion conversion) {
    this.conversion = requireNonNull(conversion, "conversion is null");
  }

  /** The object a store entry holds, with its resourceVersion. */
  public ObjectNode decode(Store.Entry entry) {
    return decode(entry.revision(), entry.value());
  }

  /** The object stored at a revision, with that revision as resourceVersion. */
  public ObjectNode decode(long revision, byte[] value) {
    ObjectNode object = conversion.fromStorage(Json.parseObject(value));
    Meta.metadata(object).put("resourceVersion", Long.toString(revision));
    return object;
  }

  /** The stored bytes of an object; the object is not changed. */
  public byte[] encode(ObjectNode object) {
    return withoutResourceVersion(conversion.toStorage(object));
  }

  /**
   * The object without metadata.resourceVersion, serialized. Neither the object nor its children are changed; only
   * the two levels that differ are copied (shallowly), the rest of the tree is shared and only read.
   */
  private static byte[] withoutResourceVersion(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (!(metadata instanceof ObjectNode)) {
      ObjectNode copy = object.deepCopy();
      Meta.metadata(copy).remove("resourceVersion");
      return Json.bytes(copy);
    }
    if (!metadata.has("resourceVersion")) {
      return Json.bytes(object);
    }
    ObjectNode storedMetadata = Json.object();
    metadata.fields().forEachRemaining(field -> {
      if (!field.getKey().equals("resourceVersion")) {
        storedMetadata.set(field.getKey(), field.getValue());
      }
    });
    ObjectNode stored = Json.object();
    object.fields().forEachRemaining(field -> stored.set(field.getKey(),
        field.getKey().equals("metadata") ? storedMetadata : field.getValue()));
    return Json.bytes(stored);
  }
}
