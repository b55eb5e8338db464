package io.minicluster.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of a webhook's client config and review versions (k8s.io/apiserver/pkg/util/webhook and the
 * validations that call it) with upstream's messages, shared by the admission webhook configurations and the
 * CustomResourceDefinitions' conversion webhooks.
 */
public final class WebhookClientConfigValidation {
  /** The review versions the server sends: AdmissionReview and ConversionReview alike. */
  public static final List<String> REVIEW_VERSIONS = List.of("v1", "v1beta1");
  private static final String URL_FORM = "; desired format: https://host[/path]";

  private WebhookClientConfigValidation() {}

  /** A list as field errors render it (JSON). */
  public static JsonNode json(List<String> values) {
    return Json.MAPPER.valueToTree(values);
  }

  /**
   * validateAdmissionReviewVersions (webhooks) and validateConversionReviewVersions (CRD conversion): at least one
   * the server understands, no duplicates, DNS-1035 labels.
   *
   * @param requiredMessage the Required error's detail when there is none
   */
  public static List<FieldError> reviewVersions(List<String> versions, String at, String requiredMessage) {
    if (versions.isEmpty()) {
      return List.of(FieldError.required(at, requiredMessage));
    }
    List<FieldError> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean accepted = false;
    for (int i = 0; i < versions.size(); i++) {
      String version = versions.get(i);
      if (!seen.add(version)) {
        errors.add(FieldError.invalid(at + "[" + i + "]", version, "duplicate version"));
        continue;
      }
      for (String message : Formats.dns1035Label(version)) {
        errors.add(FieldError.invalid(at + "[" + i + "]", version, message));
      }
      accepted |= REVIEW_VERSIONS.contains(version);
    }
    if (!accepted) {
      errors.add(FieldError.invalid(at, json(versions), "must include at least one of " + String.join(", ", REVIEW_VERSIONS)));
    }
    return errors;
  }

  /** The client config: exactly one of url (ValidateWebhookURL, https only) and service (ValidateWebhookService). */
  public static List<FieldError> clientConfig(JsonNode config, String at) {
    String url = Json.textOrNull(config, "url");
    JsonNode service = Json.get(config, "service");
    boolean hasService = service != null && !service.isNull();
    if ((url == null) == !hasService) {
      return List.of(FieldError.required(at, "exactly one of url or service is required"));
    }
    return url != null ? url(url, at + ".url") : service(service, at + ".service");
  }

  private static List<FieldError> url(String url, String at) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return List.of(FieldError.required(at, "url must be a valid URL: " + e.getMessage() + URL_FORM));
    }
    List<FieldError> errors = new ArrayList<>();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("https")) {
      errors.add(FieldError.invalid(at, scheme, "'https' is the only allowed URL scheme" + URL_FORM));
    }
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    String host = authority.substring(authority.indexOf('@') + 1);
    if (host.isEmpty()) {
      errors.add(FieldError.invalid(at, host, "host must be provided" + URL_FORM));
    }
    if (uri.getRawUserInfo() != null) {
      errors.add(FieldError.invalid(at, uri.getRawUserInfo(), "user information is not permitted in the URL"));
    }
    if (uri.getRawFragment() != null && !uri.getRawFragment().isEmpty()) {
      errors.add(FieldError.invalid(at, uri.getRawFragment(), "fragments are not permitted in the URL"));
    }
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      errors.add(FieldError.invalid(at, uri.getRawQuery(), "query parameters are not permitted in the URL"));
    }
    return errors;
  }

  private static List<FieldError> service(JsonNode service, String at) {
    List<FieldError> errors = new ArrayList<>();
    if (Json.text(service, "name").isEmpty()) {
      errors.add(FieldError.required(at + ".name", "service name is required"));
    }
    if (Json.text(service, "namespace").isEmpty()) {
      errors.add(FieldError.required(at + ".namespace", "service namespace is required"));
    }
    long port = Json.number(service, "port", 443);
    List<String> portErrors = Formats.portNumber(port);
    if (!portErrors.isEmpty()) {
      errors.add(FieldError.invalid(at + ".port", port, "port is not valid: " + String.join(", ", portErrors)));
    }
    String path = Json.textOrNull(service, "path");
    if (path == null || path.isEmpty() || path.equals("/")) {
      return errors;
    }
    if (path.equals("//")) {
      errors.add(FieldError.invalid(at + ".path", path, "segment[0] may not be empty"));
      return errors;
    }
    if (!path.startsWith("/")) {
      errors.add(FieldError.invalid(at + ".path", path, "must start with a '/'"));
    }
    String steps = path.substring(1);
    if (steps.endsWith("/")) {
      steps = steps.substring(0, steps.length() - 1);
    }
    String[] segments = steps.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].isEmpty()) {
        errors.add(FieldError.invalid(at + ".path", path, "segment[" + i + "] may not be empty"));
        continue;
      }
      for (String message : Formats.dns1123Subdomain(segments[i])) {
        errors.add(FieldError.invalid(at + ".path", path, "segment[" + i + "]: " + message));
      }
    }
    return errors;
  }
}
