package io.minicluster.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.apiserver.ApiRouter;
import io.minicluster.apiserver.Plugins;
import io.minicluster.registry.DefaultStrategy;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The implementations plugged into the API server's seams. */
final class Wiring {
  private Wiring() {}

  static Function<ResourceType, Strategy> strategies() {
    return io.minicluster.registry.Strategies::forType;
  }

  static GenericRegistry.MetadataValidator metadataValidator() {
    return new GenericRegistry.MetadataValidator() {
      @Override
      public List<FieldError> validate(ResourceType type, ObjectNode object) {
        return ObjectMetaValidation.validate(object, type.namespaced(),
            io.minicluster.registry.Strategies.forType(type).nameValidator());
      }

      @Override
      public List<FieldError> validateUpdate(ResourceType type, ObjectNode object, ObjectNode old) {
        return ObjectMetaValidation.validateUpdate(object, old);
      }
    };
  }

  static Plugins.ProtobufDecoder protobufDecoder() {
    return body -> {
      throw ApiException.unsupportedMediaType("application/vnd.kubernetes.protobuf");
    };
  }

  static Plugins.UnknownFieldFinder unknownFieldFinder() {
    return (apiVersion, kind, object) -> List.of();
  }

  static Plugins.FilterFactory filterFactory() {
    return (type, labelSelector, fieldSelector) -> object -> true;
  }

  static Plugins.PatchApplier patchApplier() {
    return (contentType, current, body, apiVersion, kind) -> io.minicluster.apiserver.patch.Patches.apply(
        io.minicluster.apiserver.patch.PatchType.fromContentType(contentType), current, body, apiVersion, kind);
  }

  static ApiRouter.OpenApiSource openApi() {
    return (path, accept) -> Minicluster.notServed();
  }
}
