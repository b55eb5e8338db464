package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.apiextensions.ResourceSchema;
import io.minicluster.apiserver.patch.PatchType;
import io.minicluster.apiserver.patch.Patches;
import io.minicluster.apiserver.protobuf.ProtobufCodec;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.json.Json;
import io.minicluster.registry.CustomResourceConverter;
import io.minicluster.registry.Registries;
import io.minicluster.registry.admission.Admissions;
import io.minicluster.registry.customresource.CustomResourceStrategy;
import io.minicluster.registry.subresource.Subresources;
import io.minicluster.registry.validation.MetadataValidation;
import io.minicluster.server.Conversions;
import io.minicluster.server.Strategies;
import io.minicluster.store.SqliteStore;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@link ResourceEndpoints} over a real store and the daemon's registries, driven without HTTP: a request in, the
 * response (or the streamed bytes) out, errors turned into Status responses as the HTTP server turns them.
 */
final class EndpointsHarness implements AutoCloseable {
  private final SqliteStore store;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ResourceEndpoints endpoints;
  /** The custom resources the endpoints serve: tests put established definitions here. */
  private final CustomResources customResources = new CustomResources();
  /** Converts the custom resources of definitions with conversion strategy Webhook: tests set a fake webhook. */
  private volatile CustomResourceConverter converter = CustomResourceConverter.NONE;

  EndpointsHarness(Path directory) {
    requireNonNull(directory, "directory is null");
    store = SqliteStore.open(directory, SqliteStore.Options.defaults());
    Clock clock = Clock.systemUTC();
    Registries registries = new Registries(store, clock, Strategies::forType, new Admissions(List.of()),
        MetadataValidation.validator(Strategies::forType),
        (type, object) -> FieldValidation.checkTypes(type.apiVersion(), type.kind(), object),
        Conversions.ALL);
    registries.serveCustomResources(customResources,
        served -> new CustomResourceStrategy(served.type(), ResourceSchema.NONE),
        (definition, objects, apiVersion) -> converter.convert(definition, objects, apiVersion));
    endpoints = new ResourceEndpoints(registries, new Subresources(registries, clock), new BodyDecoder(ProtobufCodec::decode),
        (type, labels, fields) -> object -> true,
        (type, objects, list, now, includeObject, noHeaders) -> {
          throw new UnsupportedOperationException("tables");
        },
        new Plugins.PatchApplier() {
          @Override
          public Plugins.Patched apply(String contentType, ObjectNode current, byte[] body, String apiVersion,
              String kind, FieldValidation validation) {
            Patches.Patched patched = Patches.apply(PatchType.fromContentType(contentType), current, body,
                apiVersion, kind, validation);
            return new Plugins.Patched(patched.object(), patched.warnings());
          }

          @Override
          public void checkApplyConfiguration(ObjectNode configuration, String apiVersion, String kind) {
            Patches.checkApplyConfiguration(configuration, apiVersion, kind);
          }
        },
        ProtobufCodec::decode, timer, clock);
  }

  CustomResources customResources() {
    return customResources;
  }

  void convertWith(CustomResourceConverter webhook) {
    converter = requireNonNull(webhook, "webhook is null");
  }

  /** A request's complete answer; errors become their Status response. */
  ApiResponse send(HttpMethod method, String uri, String contentType, String body) {
    HttpHeaders headers = new DefaultHttpHeaders();
    if (contentType != null) {
      headers.set("Content-Type", contentType);
    }
    ApiRequest request = ApiRequest.of(method, uri, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), null);
    Recorder recorder = new Recorder();
    try {
      endpoints.handle(request, recorder);
    } catch (ApiException e) {
      return ApiResponse.error(e);
    }
    return requireNonNull(recorder.response, "no response");
  }

  /** The bytes a watch streams until it has sent its initial events; the stream is closed then. */
  byte[] watchInitialEvents(String uri) {
    Recorder recorder = new Recorder();
    endpoints.handle(ApiRequest.of(HttpMethod.GET, uri, new DefaultHttpHeaders(), new byte[0], null), recorder);
    recorder.close();
    return recorder.streamed.toByteArray();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    store.close();
  }

  private static final class Recorder implements ResponseChannel, ResponseChannel.Stream {
    private final ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    private ApiResponse response;
    private Runnable onClose = () -> { };

    @Override
    public void respond(ApiResponse answer) {
      response = answer;
    }

    @Override
    public Stream stream(String contentType) {
      return this;
    }

    @Override
    public synchronized boolean write(byte[] chunk) {
      streamed.writeBytes(chunk);
      return true;
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void close() {
      onClose.run();
    }

    @Override
    public void onClose(Runnable action) {
      onClose = action;
    }
  }

  /** A response's body as JSON. */
  static JsonNode json(ApiResponse response) {
    try {
      return Json.parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response's body as text. */
  static String text(ApiResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
