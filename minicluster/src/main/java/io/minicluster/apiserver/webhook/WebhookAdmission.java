package io.minicluster.apiserver.webhook;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.patch.PatchType;
import io.minicluster.apiserver.patch.Patches;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.AdmissionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins: on every write (but those of the
 * admissionregistration kinds themselves, as upstream exempts them) the matching webhooks of the configurations,
 * ordered by configuration name, are called: the mutating ones from {@link #mutate} (their JSON patches applied to
 * the object; a webhook with reinvocationPolicy IfNeeded is called once more when a later one changed the object),
 * one after another, the validating ones from {@link #validate}, after the kind's validation, all at once as the
 * apiserver's validating dispatcher calls them: the request waits for the slowest, not for the sum.
 */
public final class WebhookAdmission implements Admission {
  private static final Set<ResourceType> EXEMPT = Set.of(ResourceTypes.VALIDATING_WEBHOOK_CONFIGURATIONS,
      ResourceTypes.MUTATING_WEBHOOK_CONFIGURATIONS, ResourceTypes.VALIDATING_ADMISSION_POLICIES,
      ResourceTypes.VALIDATING_ADMISSION_POLICY_BINDINGS);

  private final Supplier<List<ObjectNode>> mutating;
  private final Supplier<List<ObjectNode>> validating;
  private final WebhookMatcher matcher;
  private final WebhookClient client;
  private final Executor validators;

  /**
   * @param mutating the MutatingWebhookConfigurations
   * @param validating the ValidatingWebhookConfigurations
   * @param namespaces looks a namespace up by name (for namespaceSelectors)
   * @param client calls a webhook
   * @param validators runs the calls to a request's validating webhooks but its first (made on the request's thread)
   */
  public WebhookAdmission(Supplier<List<ObjectNode>> mutating, Supplier<List<ObjectNode>> validating,
      Function<String, Optional<JsonNode>> namespaces, WebhookClient client, Executor validators) {
    this.mutating = requireNonNull(mutating, "mutating is null");
    this.validating = requireNonNull(validating, "validating is null");
    this.matcher = new WebhookMatcher(requireNonNull(namespaces, "namespaces is null"));
    this.client = requireNonNull(client, "client is null");
    this.validators = requireNonNull(validators, "validators is null");
  }

  @Override
  public void mutate(AdmissionRequest request) {
    if (EXEMPT.contains(request.type())) {
      return;
    }
    List<JsonNode> hooks = matching(mutating.get(), request);
    if (hooks.isEmpty()) {
      return;
    }
    // the object after each webhook: a webhook that asked to be reinvoked is, when a later one changed the object
    List<JsonNode> reinvoke = new ArrayList<>();
    List<ObjectNode> after = new ArrayList<>();
    for (JsonNode hook : hooks) {
      callMutating(hook, request);
      after.add(request.object() == null ? null : request.object().deepCopy());
    }
    for (int i = 0; i < hooks.size(); i++) {
      JsonNode hook = hooks.get(i);
      if (Json.text(hook, "reinvocationPolicy").equals("IfNeeded") && request.object() != null
          && !request.object().equals(after.get(i))) {
        reinvoke.add(hook);
      }
    }
    for (JsonNode hook : reinvoke) {
      callMutating(hook, request);
    }
  }

  @Override
  public void validate(AdmissionRequest request) {
    if (EXEMPT.contains(request.type())) {
      return;
    }
    List<JsonNode> hooks = matching(validating.get(), request);
    if (hooks.isEmpty()) {
      return;
    }
    List<CompletableFuture<Review>> others = new ArrayList<>();
    for (JsonNode hook : hooks.subList(1, hooks.size())) {
      others.add(CompletableFuture.supplyAsync(() -> review(hook, request), validators));
    }
    List<Review> reviews = new ArrayList<>();
    reviews.add(review(hooks.get(0), request));
    others.forEach(call -> reviews.add(call.join()));
    // every answer's warnings; then the first refusal or failure, in the configurations' order
    reviews.forEach(review -> review.response().ifPresent(response ->
        response.warnings().forEach(request.requester().warnings())));
    for (Review review : reviews) {
      if (review.failure() != null) {
        throw review.failure();
      }
      if (review.response().isPresent() && !review.response().get().allowed()) {
        throw denied(review.hook(), request, review.response().get().status());
      }
    }
  }

  /**
   * One validating webhook's answer: its response (empty when its call failed and its failurePolicy ignores that),
   * or the error its call ended with.
   */
  private record Review(String hook, Optional<AdmissionReview.Response> response, ApiException failure) {
  }

  private Review review(JsonNode hook, AdmissionRequest request) {
    String name = Json.text(hook, "name");
    try {
      return new Review(name, post(hook, request), null);
    } catch (ApiException e) {
      return new Review(name, Optional.empty(), e);
    }
  }

  /**
   * A connection: its mutating webhooks, then its validating ones, as the apiserver's connect handler admits it
   * before opening the stream.
   */
  @Override
  public void connect(AdmissionRequest request) {
    mutate(request);
    validate(request);
  }

  /** The webhooks of the configurations (in name order) that match the request. */
  private List<JsonNode> matching(List<ObjectNode> configurations, AdmissionRequest request) {
    List<JsonNode> hooks = new ArrayList<>();
    configurations.stream().sorted(Comparator.comparing(Meta::name)).forEach(configuration -> {
      for (JsonNode hook : Json.elements(configuration, "webhooks")) {
        if (matcher.matches(hook, request)) {
          hooks.add(hook);
        }
      }
    });
    return hooks;
  }

  /** Calls a mutating webhook: its warnings kept, its refusal thrown, its patch applied to the request's object. */
  private void callMutating(JsonNode hook, AdmissionRequest request) {
    Optional<AdmissionReview.Response> answer = post(hook, request);
    if (answer.isEmpty()) {
      return;
    }
    String name = Json.text(hook, "name");
    AdmissionReview.Response response = answer.get();
    response.warnings().forEach(request.requester().warnings());
    if (!response.allowed()) {
      throw denied(name, request, response.status());
    }
    if (response.patch() != null && request.object() != null) {
      ObjectNode patched;
      try {
        patched = Patches.apply(PatchType.JSON, request.object(), response.patch(), request.type().apiVersion(),
            request.type().kind());
      } catch (ApiException e) {
        throw ApiException.internal(e.getMessage());
      }
      request.object().removeAll();
      request.object().setAll(patched);
    }
  }

  /**
   * Posts the request's review to a webhook; empty when the call failed and the webhook's failurePolicy ignores that.
   *
   * @throws ApiException 400 when the request is a dry run the webhook cannot take, 500 when the call failed
   */
  private Optional<AdmissionReview.Response> post(JsonNode hook, AdmissionRequest request) {
    String name = Json.text(hook, "name");
    String sideEffects = Json.text(hook, "sideEffects");
    if (request.dryRun() && !sideEffects.equals("None") && !sideEffects.equals("NoneOnDryRun")) {
      throw ApiException.badRequest("admission webhook \"" + name + "\" does not support dry run");
    }
    String version = AdmissionReview.version(hook);
    Duration timeout = Duration.ofSeconds(Json.number(hook, "timeoutSeconds", 10));
    try {
      if (version == null) {
        throw new WebhookClient.CallFailure("webhook does not accept known AdmissionReview versions");
      }
      String uid = UUID.randomUUID().toString();
      byte[] body = Json.bytes(AdmissionReview.request(version, uid, request));
      return Optional.of(AdmissionReview.response(client.post(Json.get(hook, "clientConfig"), body, timeout),
          version, uid));
    } catch (WebhookClient.CallFailure e) {
      if (Json.text(hook, "failurePolicy").equals("Ignore")) {
        return Optional.empty();
      }
      throw ApiException.internal("failed calling webhook \"" + name + "\": failed to call webhook: Post \""
          + displayUrl(Json.get(hook, "clientConfig"), timeout) + "\": " + e.getMessage());
    }
  }

  /** The URL a webhook is posted to, as the apiserver's errors show it (with the timeout parameter). */
  static String displayUrl(JsonNode clientConfig, Duration timeout) {
    String url = Json.textOrNull(clientConfig, "url");
    if (url == null) {
      JsonNode service = Json.get(clientConfig, "service");
      String path = Json.text(service, "path");
      url = "https://" + Json.text(service, "name") + "." + Json.text(service, "namespace") + ".svc:"
          + Json.number(service, "port", 443) + (path.isEmpty() ? "/" : path);
    }
    return url + "?timeout=" + timeout.toSeconds() + "s";
  }

  /** ToStatusErr: the webhook's status, its message prefixed with who denied the request (403 Forbidden unless set). */
  static ApiException denied(String webhook, AdmissionRequest request, JsonNode status) {
    int code = (int) Json.number(status, "code", 0);
    if (code == 0) {
      code = 403;
    }
    String message = Json.text(status, "message");
    String reason = Json.text(status, "reason");
    String deniedBy = "admission webhook \"" + webhook + "\" denied the request";
    if (!message.isEmpty()) {
      deniedBy += ": " + message;
    } else if (!reason.isEmpty()) {
      deniedBy += ": " + reason;
    } else {
      deniedBy += " without explanation";
    }
    String name = request.name().isEmpty() ? "Unknown" : request.name();
    ResourceType type = request.type();
    if (code == 500) {
      return new ApiException(500, reason.isEmpty() ? "InternalError" : reason,
          "Internal error occurred: " + deniedBy, null, null, null,
          List.of(new ApiException.Cause(null, deniedBy, null)));
    }
    return new ApiException(code, reason.isEmpty() ? "Forbidden" : reason,
        type.groupResource() + " \"" + name + "\" is forbidden: " + deniedBy, name, type.group(), type.plural(),
        null);
  }
}
