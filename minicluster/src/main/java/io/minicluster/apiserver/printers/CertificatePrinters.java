package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.time.Duration;
import java.util.List;

/**
 * printCertificateSigningRequest: NAME, AGE, SIGNERNAME, REQUESTOR (spec.username), REQUESTEDDURATION
 * (expirationSeconds as a human duration) and CONDITION (extractCSRStatus: Denied, Approved or Pending, then ",Failed"
 * and ",Issued").
 */
final class CertificatePrinters {
  private CertificatePrinters() {}

  static TablePrinter certificateSigningRequest() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.creationAge(),
        Column.string("SignerName", "signerName indicates the requested signer, and is a qualified name."),
        Column.string("Requestor", "request contains an x509 certificate signing request encoded in a "
            + "\"CERTIFICATE REQUEST\" PEM block. When serialized as JSON or YAML, the data is additionally "
            + "base64-encoded."),
        Column.string("RequestedDuration", "expirationSeconds is the requested duration of validity of the issued "
            + "certificate. The certificate signer may issue a certificate with a different validity duration so a "
            + "client must check the delta between the notBefore and and notAfter fields in the issued certificate "
            + "to determine the actual duration."),
        Column.string("Condition", "conditions applied to the request. Known conditions are \"Approved\", "
            + "\"Denied\", and \"Failed\".")),
        (csr, now) -> {
          JsonNode spec = csr.path("spec");
          String signerName = Json.text(spec, "signerName");
          Long seconds = Json.numberOrNull(spec, "expirationSeconds");
          return List.of(Fields.name(csr), Fields.age(csr, now), signerName.isEmpty() ? "<none>" : signerName,
              Json.text(spec, "username"),
              seconds == null ? "<none>" : HumanDuration.format(Duration.ofSeconds(seconds)), condition(csr));
        });
  }

  /** extractCSRStatus. */
  static String condition(JsonNode csr) {
    boolean approved = false;
    boolean denied = false;
    boolean failed = false;
    for (JsonNode condition : Fields.array(csr, "status", "conditions")) {
      switch (Json.text(condition, "type")) {
        case "Approved" -> approved = true;
        case "Denied" -> denied = true;
        case "Failed" -> failed = true;
        default -> {
        }
      }
    }
    String status = denied ? "Denied" : approved ? "Approved" : "Pending";
    if (failed) {
      status += ",Failed";
    }
    if (!Fields.text(csr, "status", "certificate").isEmpty()) {
      status += ",Issued";
    }
    return status;
  }
}
