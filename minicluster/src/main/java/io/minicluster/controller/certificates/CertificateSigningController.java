package io.minicluster.controller.certificates;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The CSR signing controller (pkg/controller/certificates/signer) for the signers the cluster CA serves,
 * {@value #KUBE_APISERVER_CLIENT} and {@value #KUBELET_CLIENT}: an approved request of one of them, neither failed nor
 * issued, gets its certificate in status.certificate through the status subresource; a request the signer refuses
 * (usages or subject) gets the Failed condition with reason SignerValidationFailure instead. Keys are request names.
 */
public final class CertificateSigningController implements ControllerLoop {
  public static final String KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";
  public static final String KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet";
  /** The default of kube-controller-manager's --cluster-signing-duration. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(365);

  /** A request as the controller reads it. */
  record Request(String name, String signerName, String request, List<String> usages, Long expirationSeconds,
      Set<String> conditions, boolean issued) {
    static Request from(ObjectNode csr) {
      JsonNode spec = Json.get(csr, "spec");
      JsonNode status = Json.get(csr, "status");
      Set<String> conditions = new HashSet<>();
      for (JsonNode condition : Json.elements(status, "conditions")) {
        if ("True".equals(Json.text(condition, "status"))) {
          conditions.add(Json.text(condition, "type"));
        }
      }
      return new Request(Json.text(Json.get(csr, "metadata"), "name"), Json.text(spec, "signerName"),
          Json.text(spec, "request"), Json.strings(spec, "usages"), Json.numberOrNull(spec, "expirationSeconds"),
          Set.copyOf(conditions), !Json.text(status, "certificate").isEmpty());
    }

    /** Approved, not denied or failed, not yet issued: the signer's work. */
    boolean pending() {
      return conditions.contains("Approved") && !conditions.contains("Denied") && !conditions.contains("Failed")
          && !issued;
    }
  }

  static final Kind<Request> REQUESTS = new Kind<>(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, Request::from);

  private final Client client;
  private final Informer<Request> requests;
  private final CertificateSigner signer;
  private final Duration ttl;
  private final Clock clock;

  public CertificateSigningController(Client client, SharedInformers informers, WorkQueue queue,
      CertificateSigner signer, Duration ttl, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.signer = requireNonNull(signer, "signer is null");
    this.ttl = requireNonNull(ttl, "ttl is null");
    this.clock = requireNonNull(clock, "clock is null");
    requireNonNull(queue, "queue is null");
    this.requests = informers.informer(REQUESTS);
    requests.addHandler(Handlers.enqueueing(request -> queue.add(request.name())));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(requests);
  }

  @Override
  public long reconcile(String name) {
    Request request = requests.get(null, name).orElse(null);
    if (request == null || !request.pending()
        || !(request.signerName().equals(KUBE_APISERVER_CLIENT) || request.signerName().equals(KUBELET_CLIENT))) {
      return 0;
    }
    byte[] pem = decode(request.request());
    String refusal;
    try {
      refusal = request.signerName().equals(KUBELET_CLIENT)
          ? kubeletClientRefusal(signer.subject(pem), request.usages())
          : apiServerClientRefusal(request.usages());
    } catch (IllegalArgumentException e) {
      // the registry validated it: only a request stored before validation gets here
      refusal = "unable to parse csr \"" + name + "\": " + e.getMessage();
    }
    try {
      if (refusal != null) {
        String message = refusal;
        client.modifyStatus(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, null, name, csr -> fail(csr, message));
        return 0;
      }
      String certificate = signer.sign(pem, request.usages(), duration(request.expirationSeconds()));
      String encoded = Base64.getEncoder().encodeToString(certificate.getBytes(StandardCharsets.UTF_8));
      client.modifyStatus(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, null, name, csr -> {
        if (!Request.from(csr).pending()) {
          return null;
        }
        Json.with(csr, "status").put("certificate", encoded);
        return csr;
      });
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
    return 0;
  }

  private ObjectNode fail(ObjectNode csr, String message) {
    if (!Request.from(csr).pending()) {
      return null;
    }
    JsonNode existing = Json.at(csr, "status", "conditions");
    ArrayNode conditions = existing instanceof ArrayNode array ? array : Json.with(csr, "status").putArray("conditions");
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    conditions.addObject().put("type", "Failed").put("status", "True").put("reason", "SignerValidationFailure")
        .put("message", message).put("lastUpdateTime", now).put("lastTransitionTime", now);
    return csr;
  }

  /** The certificate's ttl: the signing duration, or the request's expirationSeconds when shorter. */
  Duration duration(Long expirationSeconds) {
    if (expirationSeconds == null) {
      return ttl;
    }
    Duration requested = Duration.ofSeconds(Math.max(expirationSeconds, 600));
    return requested.compareTo(ttl) < 0 ? requested : ttl;
  }

  /** validAPIServerClientUsages: client auth required, digital signature and key encipherment allowed. */
  static String apiServerClientRefusal(List<String> usages) {
    boolean clientAuth = false;
    for (String usage : usages) {
      switch (usage) {
        case "digital signature", "key encipherment" -> {
        }
        case "client auth" -> clientAuth = true;
        default -> {
          return "invalid usage for client certificate: " + usage;
        }
      }
    }
    return clientAuth ? null : "missing required usage for client certificate: client auth";
  }

  /** ValidateKubeletClientCSR: O system:nodes only, CN system:node:..., no alternative names, the kubelet's usages. */
  static String kubeletClientRefusal(CertificateSigner.Subject subject, List<String> usages) {
    if (!subject.organizations().equals(List.of("system:nodes"))) {
      return "subject organization is not system:nodes";
    }
    if (subject.alternativeNames()) {
      return "subjectAltNames are not allowed";
    }
    if (!subject.commonName().startsWith("system:node:")) {
      return "subject common name does not begin with system:node:";
    }
    Set<String> given = Set.copyOf(usages);
    if (!given.equals(Set.of("client auth", "digital signature", "key encipherment"))
        && !given.equals(Set.of("client auth", "digital signature"))) {
      return "usages did not match [client auth digital signature key encipherment]";
    }
    return null;
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return base64.getBytes(StandardCharsets.UTF_8);
    }
  }
}
