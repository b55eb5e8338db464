package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.api.meta.ObjectList;
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

  /** Patch bodies: applied to the current object and decoded into the endpoint's type. */
  public interface PatchApplier {
    /**
     * The patched object, typed as apiVersion/kind: a result of the wrong shape fails the request, fields the type
     * does not declare follow the request's fieldValidation (warnings under Warn).
     */
    Patched apply(String contentType, ObjectNode current, byte[] body, String apiVersion, String kind,
        FieldValidation validation);

    /** Rejects a server-side apply configuration that does not fit the type (wrong value types, unknown fields). */
    void checkApplyConfiguration(ObjectNode configuration, String apiVersion, String kind);
  }

  /** A patched object and the warnings to send with the response. */
  public record Patched(ObjectNode object, List<String> warnings) {
    public Patched {
      requireNonNull(object, "object is null");
      warnings = List.copyOf(warnings);
    }
  }

  /** Decodes protobuf request bodies to their JSON form. */
  public interface ProtobufDecoder {
    ObjectNode decode(byte[] body);
  }

}
