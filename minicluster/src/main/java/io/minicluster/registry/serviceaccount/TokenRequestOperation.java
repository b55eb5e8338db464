package io.minicluster.registry.serviceaccount;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Registries;
import io.minicluster.serviceaccount.ServiceAccountTokens;
import io.minicluster.serviceaccount.TokenClaims;
import io.minicluster.serviceaccount.TokenClaims.Ref;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code serviceaccounts/token} subresource (pkg/registry/core/serviceaccount/storage/token.go): a TokenRequest
 * for an existing service account gets a signed token for its audiences (the API's by default), valid for
 * {@code expirationSeconds} (3600 by default, at least 600), bound to a pod or secret when {@code boundObjectRef}
 * names one. Never stored.
 */
public final class TokenRequestOperation {
  public static final String API_VERSION = "authentication.k8s.io/v1";
  public static final String KIND = "TokenRequest";
  /** v1's default of spec.expirationSeconds. */
  public static final long DEFAULT_EXPIRATION_SECONDS = 3600;
  static final long MIN_EXPIRATION_SECONDS = 600;
  static final long MAX_EXPIRATION_SECONDS = 1L << 32;

  private final Registries registries;
  private final ServiceAccountTokens tokens;
  private final Clock clock;

  public TokenRequestOperation(Registries registries, ServiceAccountTokens tokens, Clock clock) {
    this.registries = requireNonNull(registries, "registries is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Answers a TokenRequest for the service account {@code namespace/name}: the request with its defaults and
   * {@code status.token}, {@code status.expirationTimestamp}.
   *
   * @throws ApiException 422 for an invalid request, 404 when the account or the bound object does not exist, 400
   *     for a binding to another kind or to a pod of another account, 409 when the bound object's uid differs
   */
  public ObjectNode create(String namespace, String name, ObjectNode request) {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(name, "name is null");
    ObjectNode answer = request.deepCopy();
    answer.put("apiVersion", API_VERSION);
    answer.put("kind", KIND);
    ObjectNode metadata = Json.with(answer, "metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    ObjectNode spec = Json.with(answer, "spec");
    if (!spec.path("expirationSeconds").isNumber()) {
      spec.put("expirationSeconds", DEFAULT_EXPIRATION_SECONDS);
    }
    validate(name, spec);
    ObjectNode serviceAccount = registries.get(ResourceTypes.SERVICE_ACCOUNTS).get(namespace, name);
    Ref pod = null;
    Ref secret = null;
    Ref node = null;
    ObjectNode reference = Json.object(spec, "boundObjectRef");
    if (reference != null) {
      String apiVersion = Json.text(reference, "apiVersion");
      String kind = Json.text(reference, "kind");
      String objectName = Json.text(reference, "name");
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      ObjectNode bound;
      if (group.isEmpty() && kind.equals("Pod")) {
        bound = registries.get(ResourceTypes.PODS).get(namespace, objectName);
        String podAccount = Json.text(Json.object(bound, "spec"), "serviceAccountName");
        if (!name.equals(podAccount)) {
          throw ApiException.badRequest("cannot bind token for serviceaccount \"" + name
              + "\" to pod running with serviceaccount \"" + podAccount + "\"");
        }
        pod = new Ref(objectName, Meta.uid(bound));
        node = node(Json.text(Json.object(bound, "spec"), "nodeName"));
      } else if (group.isEmpty() && kind.equals("Secret")) {
        bound = registries.get(ResourceTypes.SECRETS).get(namespace, objectName);
        secret = new Ref(objectName, Meta.uid(bound));
      } else {
        throw ApiException.badRequest("cannot bind token to object of type " + groupVersionKind(apiVersion, kind));
      }
      String uid = Json.text(reference, "uid");
      if (!uid.isEmpty() && !uid.equals(Meta.uid(bound))) {
        throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + objectName
            + "\": the UID in the bound object reference (" + uid + ") does not match the UID in record ("
            + Meta.uid(bound) + "). The object might have been deleted and then recreated", objectName, group, kind,
            null);
      }
    }
    List<String> audiences = new ArrayList<>();
    Json.elements(spec, "audiences").forEach(audience -> audiences.add(audience.asText()));
    if (audiences.isEmpty()) {
      audiences.addAll(tokens.apiAudiences());
      tokens.apiAudiences().forEach(spec.putArray("audiences")::add);
    }
    Instant now = clock.instant();
    TokenClaims claims = TokenClaims.bound(namespace, new Ref(name, Meta.uid(serviceAccount)), pod, secret, node,
        audiences, now, spec.get("expirationSeconds").asLong());
    ObjectNode status = answer.putObject("status");
    status.put("token", tokens.sign(claims));
    status.put("expirationTimestamp", Meta.timestamp(claims.expiry()));
    return answer;
  }

  /** The node a pod runs on, when it is known (its uid is in the claims as upstream's). */
  private Ref node(String nodeName) {
    if (nodeName.isEmpty()) {
      return null;
    }
    return registries.get(ResourceTypes.NODES).find(null, nodeName).map(n -> new Ref(nodeName, Meta.uid(n)))
        .orElse(null);
  }

  /** As the apiserver's ValidateTokenRequest. */
  private static void validate(String name, ObjectNode spec) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode expiration = spec.get("expirationSeconds");
    long seconds = expiration.asLong();
    if (seconds < MIN_EXPIRATION_SECONDS) {
      errors.add(FieldError.invalid("spec.expirationSeconds", seconds,
          "may not specify a duration less than 10 minutes"));
    }
    if (seconds > MAX_EXPIRATION_SECONDS) {
      errors.add(FieldError.invalid("spec.expirationSeconds", seconds,
          "may not specify a duration larger than 2^32 seconds"));
    }
    if (errors.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder(KIND + ".authentication.k8s.io \"" + name + "\" is invalid: ");
    message.append(errors.size() == 1 ? errors.get(0).message() : errors.stream().map(FieldError::message).toList()
        .toString());
    throw new ApiException(422, "Invalid", message.toString(), name, "authentication.k8s.io", KIND,
        errors.stream().map(e -> new ApiException.Cause(e.type().reason(), e.body(), e.field())).toList());
  }

  private static String groupVersionKind(String apiVersion, String kind) {
    // schema.GroupVersionKind's String(): "group/version, Kind=kind", the group empty for the core group
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return group + "/" + version + ", Kind=" + kind;
  }
}
