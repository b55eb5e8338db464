package io.minicluster.controller.enqueue;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.Meta;
import io.minicluster.api.meta.ObjectMeta;

/** Work queue keys: "namespace/name" for namespaced objects, "name" for cluster-scoped ones. */
public final class Keys {
  private Keys() {}

  public static String of(JsonNode object) {
    return Meta.key(object);
  }

  public static String of(ObjectMeta metadata) {
    return metadata.key();
  }

  public static String of(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** The namespace of a key, or null for cluster-scoped keys. */
  public static String namespace(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? null : key.substring(0, slash);
  }

  public static String name(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(slash + 1);
  }
}
