package io.minicluster.registry.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.json.Json;
import io.minicluster.pki.CertificateRequest;
import io.minicluster.registry.Strategy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * certificates.k8s.io/v1 CertificateSigningRequests, as pkg/registry/certificates/certificates/strategy.go and
 * pkg/apis/certificates/validation: any name; the request must be a PEM CERTIFICATE REQUEST whose signature
 * verifies; usages, signerName and expirationSeconds as ValidateCertificateSigningRequestCreate; status.conditions
 * unique, Approved/Denied/Failed only True and Approved and Denied exclusive. The main resource keeps status; the
 * status subresource may set the certificate (once) and the conditions but not add, change or remove Approved or
 * Denied, which only the approval subresource ({@link ApprovalOperation}) may.
 */
public final class CertificateSigningRequestStrategy implements Strategy {
  static final String APPROVED = "Approved";
  static final String DENIED = "Denied";
  static final String FAILED = "Failed";
  static final Set<String> TRUE_ONLY_TYPES = Set.of(APPROVED, DENIED, FAILED);
  static final List<String> ALL_STATUS_VALUES = List.of("False", "True", "Unknown");
  /** allValidUsages, sorted as sets.List() prints them. */
  static final List<String> VALID_USAGES = List.copyOf(new TreeSet<>(List.of("signing", "digital signature",
      "content commitment", "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign",
      "encipher only", "decipher only", "any", "server auth", "client auth", "code signing", "email protection",
      "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc",
      "netscape sgc")));
  static final String LEGACY_UNKNOWN_SIGNER_NAME = "kubernetes.io/legacy-unknown";

  private final Clock clock;

  public CertificateSigningRequestStrategy() {
    this(Clock.systemUTC());
  }

  CertificateSigningRequestStrategy(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock is null");
  }

  @Override
  public ResourceType type() {
    return ResourceTypes.CERTIFICATE_SIGNING_REQUESTS;
  }

  /** ValidateCertificateRequestName: any name that is one path segment. */
  @Override
  public NameValidator nameValidator() {
    return NameValidator.PATH_SEGMENT;
  }

  @Override
  public List<FieldError> validate(ObjectNode csr) {
    return validateCreate(csr);
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode csr, ObjectNode old) {
    return validateUpdate(csr, old, false, false);
  }

  /** The status subresource (csrStatusStrategy): spec and the requester's fields stay, conditions get their times. */
  @Override
  public void prepareForStatusUpdate(ObjectNode csr, ObjectNode old) {
    Strategy.super.prepareForStatusUpdate(csr, old);
    populateConditionTimestamps(csr, old, clock.instant());
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode csr, ObjectNode old) {
    return validateUpdate(csr, old, true, false);
  }

  /** CertificateSigningRequests have no metadata.generation (their strategy sets none). */
  @Override
  public boolean hasGeneration() {
    return false;
  }

  static List<FieldError> validateUpdate(ObjectNode csr, ObjectNode old, boolean settingCertificate,
      boolean settingApproval) {
    List<FieldError> errors = new ArrayList<>(validateCreate(csr));
    for (String type : List.of(APPROVED, DENIED, FAILED)) {
      if (conditions(csr, type).size() < conditions(old, type).size()) {
        errors.add(FieldError.forbidden("status.conditions",
            "updates may not remove a condition of type \"" + type + "\""));
      }
    }
    if (!settingApproval) {
      for (String type : List.of(APPROVED, DENIED)) {
        List<JsonNode> before = conditions(old, type);
        List<JsonNode> after = conditions(csr, type);
        if (after.size() > before.size()) {
          errors.add(FieldError.forbidden("status.conditions",
              "updates may not add a condition of type \"" + type + "\""));
        } else if (after.size() == before.size() && !after.equals(before)) {
          errors.add(FieldError.forbidden("status.conditions",
              "updates may not modify a condition of type \"" + type + "\""));
        }
      }
    }
    String certificate = Json.text(Json.get(csr, "status"), "certificate");
    String oldCertificate = Json.text(Json.get(old, "status"), "certificate");
    if (!certificate.equals(oldCertificate)) {
      if (!settingCertificate) {
        errors.add(FieldError.forbidden("status.certificate", "updates may not set certificate content"));
      } else if (!oldCertificate.isEmpty()) {
        errors.add(FieldError.forbidden("status.certificate", "updates may not modify existing certificate content"));
      }
    }
    return errors;
  }

  static List<FieldError> validateCreate(ObjectNode csr) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(csr, "spec");
    byte[] request = bytes(Json.text(spec, "request"));
    try {
      CertificateRequest.parse(request);
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.invalid("spec.request", goBytes(request), e.getMessage()));
    }
    List<String> usages = Json.strings(spec, "usages");
    if (usages.isEmpty()) {
      errors.add(FieldError.required("spec.usages", "usages must be provided"));
    }
    for (int i = 0; i < usages.size(); i++) {
      if (!VALID_USAGES.contains(usages.get(i))) {
        errors.add(FieldError.notSupported("spec.usages[" + i + "]", usages.get(i), VALID_USAGES));
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < usages.size(); i++) {
      if (!seen.add(usages.get(i))) {
        errors.add(FieldError.duplicate("spec.usages[" + i + "]", usages.get(i)));
      }
    }
    String signerName = Json.text(spec, "signerName");
    if (signerName.equals(LEGACY_UNKNOWN_SIGNER_NAME)) {
      errors.add(FieldError.invalid("spec.signerName", signerName,
          "the legacy signerName is not allowed via this API version"));
    } else {
      errors.addAll(validateSignerName("spec.signerName", signerName));
    }
    Long expiration = Json.numberOrNull(spec, "expirationSeconds");
    if (expiration != null && expiration < 600) {
      errors.add(FieldError.invalid("spec.expirationSeconds", expiration,
          "may not specify a duration less than 600 seconds (10 minutes)"));
    }
    errors.addAll(validateConditions(csr));
    String certificate = Json.text(Json.get(csr, "status"), "certificate");
    String problem = certificateProblem(bytes(certificate));
    if (problem != null) {
      errors.add(FieldError.invalid("status.certificate", "<certificate data>", problem));
    }
    return errors;
  }

  private static List<FieldError> validateConditions(ObjectNode csr) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean approved = false;
    boolean denied = false;
    List<JsonNode> conditions = Json.elements(Json.get(csr, "status"), "conditions");
    for (int i = 0; i < conditions.size(); i++) {
      String path = "status.conditions[" + i + "]";
      String type = Json.text(conditions.get(i), "type");
      String status = Json.text(conditions.get(i), "status");
      if (type.isEmpty()) {
        errors.add(FieldError.required(path + ".type", ""));
      }
      List<String> allowed = TRUE_ONLY_TYPES.contains(type) ? List.of("True") : ALL_STATUS_VALUES;
      if (status.isEmpty()) {
        errors.add(FieldError.required(path + ".status", ""));
      } else if (!allowed.contains(status)) {
        errors.add(FieldError.notSupported(path + ".status", status, allowed));
      }
      if (type.equals(APPROVED)) {
        approved = true;
        if (denied) {
          errors.add(FieldError.invalid(path + ".type", type, "Approved and Denied conditions are mutually exclusive"));
        }
      } else if (type.equals(DENIED)) {
        denied = true;
        if (approved) {
          errors.add(FieldError.invalid(path + ".type", type, "Approved and Denied conditions are mutually exclusive"));
        }
      }
      if (!seen.add(type)) {
        errors.add(FieldError.duplicate(path + ".type", type));
      }
    }
    return errors;
  }

  /** ValidateCertificateSigningRequestSignerName: {@code example.com/signer-name}, at most 571 characters. */
  static List<FieldError> validateSignerName(String path, String signerName) {
    List<FieldError> errors = new ArrayList<>();
    if (signerName.isEmpty()) {
      errors.add(FieldError.required(path, "signerName must be provided"));
      return errors;
    }
    String[] segments = signerName.split("/", -1);
    if (segments.length != 2) {
      errors.add(FieldError.invalid(path, signerName,
          "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
      return errors;
    }
    if (segments[0].length() > 253) {
      errors.add(FieldError.tooLong(path, segments[0], 253));
    }
    String[] domainLabels = segments[0].split("\\.", -1);
    for (String label : domainLabels) {
      List<String> problems = Formats.dns1123Label(label);
      if (!problems.isEmpty()) {
        for (String problem : problems) {
          errors.add(FieldError.invalid(path, segments[0], "validating label \"" + label + "\": " + problem));
        }
        break;
      }
    }
    if (domainLabels.length < 2) {
      errors.add(FieldError.invalid(path, segments[0], "should be a domain with at least two segments separated by dots"));
    }
    for (String label : segments[1].split("\\.", -1)) {
      List<String> problems = Formats.dns1123Subdomain(label);
      if (!problems.isEmpty()) {
        for (String problem : problems) {
          errors.add(FieldError.invalid(path, segments[1], "validating label \"" + label + "\": " + problem));
        }
        break;
      }
    }
    int max = 253 + (253 + 63 + 1) + 1;
    if (signerName.length() > max) {
      errors.add(FieldError.tooLong(path, signerName, max));
    }
    return errors;
  }

  /** validateCertificate: empty, or CERTIFICATE PEM blocks only, without headers, each parsing. */
  private static String certificateProblem(byte[] pem) {
    if (pem.length == 0) {
      return null;
    }
    String text = new String(pem, StandardCharsets.ISO_8859_1);
    int blocks = 0;
    int at = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", at);
      int typeEnd = begin < 0 ? -1 : text.indexOf("-----", begin + 11);
      if (typeEnd < 0) {
        break;
      }
      String type = text.substring(begin + 11, typeEnd);
      int end = text.indexOf("-----END " + type + "-----", typeEnd + 5);
      if (end < 0) {
        break;
      }
      if (!type.equals("CERTIFICATE")) {
        return "only CERTIFICATE PEM blocks are allowed, found \"" + type + "\"";
      }
      String body = text.substring(typeEnd + 5, end);
      if (body.contains(":")) {
        return "no PEM block headers are permitted";
      }
      blocks++;
      try {
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(text.substring(begin, end + type.length() + 14)
                .getBytes(StandardCharsets.ISO_8859_1)));
      } catch (CertificateException e) {
        return "x509: malformed certificate";
      }
      at = end + type.length() + 14;
    }
    return blocks == 0 ? "must contain at least one CERTIFICATE PEM block" : null;
  }

  /** The conditions of a type in an object's status.conditions. */
  static List<JsonNode> conditions(ObjectNode csr, String type) {
    List<JsonNode> result = new ArrayList<>();
    for (JsonNode condition : Json.elements(Json.get(csr, "status"), "conditions")) {
      if (type.equals(Json.text(condition, "type"))) {
        result.add(condition);
      }
    }
    return result;
  }

  /**
   * populateConditionTimestamps: a condition without lastUpdateTime gets now; one without lastTransitionTime gets that
   * of the old condition of its type while the status is the same, else now.
   */
  static void populateConditionTimestamps(ObjectNode csr, ObjectNode old, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    JsonNode conditions = Json.at(csr, "status", "conditions");
    if (conditions == null || !conditions.isArray()) {
      return;
    }
    for (JsonNode node : (ArrayNode) conditions) {
      if (!(node instanceof ObjectNode condition)) {
        continue;
      }
      if (Json.text(condition, "lastUpdateTime").isEmpty()) {
        condition.put("lastUpdateTime", time);
      }
      if (Json.text(condition, "lastTransitionTime").isEmpty()) {
        String transition = time;
        for (JsonNode previous : conditions(old, Json.text(condition, "type"))) {
          if (Json.text(previous, "status").equals(Json.text(condition, "status"))
              && !Json.text(previous, "lastTransitionTime").isEmpty()) {
            transition = Json.text(previous, "lastTransitionTime");
          }
          break;
        }
        condition.put("lastTransitionTime", transition);
      }
    }
  }

  private static byte[] bytes(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return base64.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Go's {@code %#v} of a []byte: {@code []byte{0x2d, 0x2d}}, {@code []byte(nil)} when empty. */
  private static GoValue goBytes(byte[] bytes) {
    if (bytes.length == 0) {
      return new GoValue("[]byte(nil)");
    }
    StringBuilder text = new StringBuilder("[]byte{");
    for (int i = 0; i < bytes.length; i++) {
      text.append(i == 0 ? "" : ", ").append(String.format("0x%x", bytes[i] & 0xff));
    }
    return new GoValue(text.append('}').toString());
  }
}
