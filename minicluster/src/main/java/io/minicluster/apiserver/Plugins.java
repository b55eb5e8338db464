package io.minicluster.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.registry.ObjectList;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** The pluggable parts of request handling, each implemented in its own package and wired in ApiServerWiring. */
public final class Plugins {
  private Plugins() {}

  /** Compiles labelSelector and fieldSelector query parameters (either may be null) into a filter. */
  public interface FilterFactory {
    Predicate<ObjectNode> filter(ResourceType type, String labelSelector, String fieldSelector);
  }

  /** Server-side printing. */
  public interface TableConverter {
    ObjectNode table(ResourceType type, List<ObjectNode> objects, ObjectList list, Instant now, String includeObject,
        boolean noHeaders);
  }

  /** Applies a PATCH body of a content type to the current object. */
  public interface PatchApplier {
    ObjectNode apply(String contentType, ObjectNode current, byte[] body, String apiVersion, String kind);
  }

  /** Decodes protobuf request bodies to their JSON form. */
  public interface ProtobufDecoder {
    ObjectNode decode(byte[] body);
  }

}
