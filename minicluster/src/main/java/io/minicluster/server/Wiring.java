package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.fields.FieldSelector;
import io.minicluster.api.fields.FieldSets;
import io.minicluster.api.labels.Selector;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.apiextensions.ResourceSchema;
import io.minicluster.apiextensions.schema.StructuralSchema;
import io.minicluster.apiserver.ApiResponse;
import io.minicluster.apiserver.ApiRouter;
import io.minicluster.apiserver.Plugins;
import io.minicluster.apiserver.openapi.CustomResourceOpenApi;
import io.minicluster.apiserver.openapi.OpenApi;
import io.minicluster.apiserver.openapi.SwaggerV2;
import io.minicluster.apiserver.patch.PatchType;
import io.minicluster.apiserver.patch.Patches;
import io.minicluster.apiserver.protobuf.ProtobufCodec;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.customresource.CustomResourceStrategy;
import io.minicluster.registry.validation.MetadataValidation;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The implementations plugged into the API server's seams. */
final class Wiring {
  private Wiring() {}

  static Function<ResourceType, Strategy> strategies() {
    return Strategies::forType;
  }

  /**
   * The strategy of a custom resource's storage version: pruned, defaulted and validated by the version's structural
   * schema (each schema parsed once while its definition is served).
   */
  static Function<CustomResources.Served, Strategy> customResourceStrategies(CustomResources customResources) {
    Map<JsonNode, ResourceSchema> schemas = Collections.synchronizedMap(new IdentityHashMap<>());
    customResources.addListener(schemas::clear);
    return served -> new CustomResourceStrategy(served.type(), served.version().schema() == null ? ResourceSchema.NONE
        : schemas.computeIfAbsent(served.version().schema(), Wiring::resourceSchema));
  }

  private static ResourceSchema resourceSchema(JsonNode openAPIV3Schema) {
    StructuralSchema.Parsed parsed = StructuralSchema.parse(openAPIV3Schema, "openAPIV3Schema");
    if (!parsed.valid()) {
      // a definition stored before its schema was checked: its objects are served unchecked
      return ResourceSchema.NONE;
    }
    StructuralSchema schema = parsed.schema();
    return new ResourceSchema() {
      @Override
      public void applyDefaults(ObjectNode object) {
        schema.applyDefaults(object);
      }

      @Override
      public void prune(ObjectNode object) {
        schema.prune(object);
      }

      @Override
      public List<String> unknownFields(ObjectNode object) {
        return schema.prune(object.deepCopy());
      }

      @Override
      public List<FieldError> validate(JsonNode object) {
        return schema.validate(object);
      }
    };
  }

  /**
   * How long objects of each type live after their last write: events of both groups (one storage) for the event
   * TTL, as the apiserver's --event-ttl; everything else for ever.
   */
  static Function<ResourceType, Duration> timesToLive(Duration eventTtl) {
    requireNonNull(eventTtl, "eventTtl is null");
    return type -> type.equals(ResourceTypes.EVENTS) || type.equals(ResourceTypes.EVENTS_V1) ? eventTtl
        : Duration.ZERO;
  }

  static GenericRegistry.MetadataValidator metadataValidator() {
    return MetadataValidation.validator(Strategies::forType);
  }

  static GenericRegistry.TypeCheck typeCheck() {
    return (type, object) -> FieldValidation.checkTypes(type.apiVersion(), type.kind(), object);
  }

  static Plugins.ProtobufDecoder protobufDecoder() {
    return ProtobufCodec::decode;
  }

  static Plugins.FilterFactory filterFactory() {
    return (type, labelSelector, fieldSelector) -> {
      Selector labels = labelSelector == null || labelSelector.isEmpty()
          ? null : Selector.parse(labelSelector);
      FieldSelector fields = fieldSelector == null || fieldSelector.isEmpty()
          ? null : FieldSets.validate(type, FieldSelector.parse(fieldSelector));
      if (labels == null && fields == null) {
        return object -> true;
      }
      return object -> (labels == null || labels.matchesObject(object))
          && (fields == null || FieldSets.matches(type, fields, object));
    };
  }

  static Plugins.PatchApplier patchApplier() {
    return new Plugins.PatchApplier() {
      @Override
      public Plugins.Patched apply(String contentType, ObjectNode current, byte[] body, String apiVersion, String kind,
          FieldValidation validation) {
        Patches.Patched patched = Patches.apply(PatchType.fromContentType(contentType), current, body, apiVersion,
            kind, validation);
        return new Plugins.Patched(patched.object(), patched.warnings());
      }

      @Override
      public void checkApplyConfiguration(ObjectNode configuration, String apiVersion, String kind) {
        Patches.checkApplyConfiguration(configuration, apiVersion, kind);
      }
    };
  }

  static ApiRouter.OpenApiSource openApi(CustomResources customResources) {
    CustomResourceOpenApi openApi = new CustomResourceOpenApi(new OpenApi(), customResources);
    return (path, accept) -> {
      if (path.equals("v2")) {
        // kubectl <= 1.26 asks for the gnostic protobuf and validates manifests against its definitions
        return accept != null && accept.contains("protobuf")
            ? new ApiResponse(200, SwaggerV2.PROTOBUF_TYPE, openApi.v2Protobuf(), List.of())
            : new ApiResponse(200, "application/json", openApi.v2Json(), List.of());
      }
      if (path.equals("v3")) {
        return ApiResponse.json(200, openApi.root());
      }
      if (path.startsWith("v3/")) {
        byte[] document = openApi.documentBytes(path.substring(3)).orElseThrow(ApiException::notFoundPath);
        return new ApiResponse(200, "application/json", document, List.of());
      }
      throw ApiException.notFoundPath();
    };
  }
}
