package io.minicluster.registry.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import io.minicluster.testing.SigningRequests;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateSigningRequestStrategyTest {
  private static final String REQUEST = SigningRequests.base64(SigningRequests.keyPair(), "jane", List.of("dev"));
  private final CertificateSigningRequestStrategy strategy = new CertificateSigningRequestStrategy(
      Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));

  private static ObjectNode csr(String spec) {
    return Json.parseObject(("{'metadata':{'name':'jane'},'spec':" + spec + "}").replace('\'', '"')
        .replace("REQUEST", REQUEST));
  }

  private List<String> errors(String spec) {
    return strategy.validate(csr(spec)).stream().map(FieldError::message).toList();
  }

  @Test
  void aValidRequest() {
    assertThat(errors("{'request':'REQUEST','signerName':'kubernetes.io/kube-apiserver-client',"
        + "'usages':['client auth'],'expirationSeconds':600}")).isEmpty();
  }

  @Test
  void validationMessagesAsTheApiserverWritesThem() {
    assertThat(errors("{'request':'LS0t','signerName':'kubernetes.io/kube-apiserver-client','usages':['client auth']}"))
        .containsExactly("spec.request: Invalid value: []byte{0x2d, 0x2d, 0x2d}: PEM block type must be CERTIFICATE "
            + "REQUEST");
    assertThat(errors("{'request':'REQUEST','signerName':'example.com/x'}"))
        .containsExactly("spec.usages: Required value: usages must be provided");
    assertThat(errors("{'request':'REQUEST','usages':['client auth']}"))
        .containsExactly("spec.signerName: Required value: signerName must be provided");
    assertThat(errors("{'request':'REQUEST','signerName':'kubernetes.io/legacy-unknown','usages':['client auth']}"))
        .containsExactly("spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is "
            + "not allowed via this API version");
    assertThat(errors("{'request':'REQUEST','signerName':'signer','usages':['client auth']}"))
        .containsExactly("spec.signerName: Invalid value: \"signer\": must be a fully qualified domain and path of the "
            + "form 'example.com/signer-name'");
    assertThat(errors("{'request':'REQUEST','signerName':'example.com/x','usages':['client auth','client auth',"
        + "'flying'],'expirationSeconds':599}")).containsExactly(
        "spec.usages[2]: Unsupported value: \"flying\": supported values: \"any\", \"cert sign\", \"client auth\", "
            + "\"code signing\", \"content commitment\", \"crl sign\", \"data encipherment\", \"decipher only\", "
            + "\"digital signature\", \"email protection\", \"encipher only\", \"ipsec end system\", \"ipsec tunnel\", "
            + "\"ipsec user\", \"key agreement\", \"key encipherment\", \"microsoft sgc\", \"netscape sgc\", "
            + "\"ocsp signing\", \"s/mime\", \"server auth\", \"signing\", \"timestamping\"",
        "spec.usages[1]: Duplicate value: \"client auth\"",
        "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)");
  }

  @Test
  void onlyTheApprovalSubresourceAddsApprovedAndTheCertificateIsSetOnce() {
    ObjectNode old = csr("{'request':'REQUEST','signerName':'example.com/x','usages':['client auth']}");
    ObjectNode approved = old.deepCopy();
    approved.putObject("status").putArray("conditions").addObject().put("type", "Approved").put("status", "True")
        .put("reason", "KubectlApprove");

    assertThat(strategy.validateStatusUpdate(approved, old)).extracting(FieldError::message)
        .containsExactly("status.conditions: Forbidden: updates may not add a condition of type \"Approved\"");
    assertThat(CertificateSigningRequestStrategy.validateUpdate(approved, old, false, true)).isEmpty();

    ObjectNode denied = approved.deepCopy();
    ((ObjectNode) denied.at("/status/conditions/0")).put("type", "Denied");
    ((ObjectNode) denied.at("/status")).withArray("conditions").addObject().put("type", "Approved")
        .put("status", "True");
    assertThat(CertificateSigningRequestStrategy.validateUpdate(denied, old, false, true))
        .extracting(FieldError::message).containsExactly("status.conditions[1].type: Invalid value: \"Approved\": "
            + "Approved and Denied conditions are mutually exclusive");

    ObjectNode issued = approved.deepCopy();
    ((ObjectNode) issued.get("status")).put("certificate", "bm90IGEgY2VydA==");
    assertThat(strategy.validateStatusUpdate(issued, approved)).extracting(FieldError::message)
        .containsExactly("status.certificate: Invalid value: \"<certificate data>\": must contain at least one "
            + "CERTIFICATE PEM block");
    assertThat(strategy.validateUpdate(issued, approved)).extracting(FieldError::message)
        .contains("status.certificate: Forbidden: updates may not set certificate content");
  }

  @Test
  void conditionsGetTheirTimesOnAStatusUpdate() {
    ObjectNode old = csr("{'request':'REQUEST'}");
    ObjectNode updated = old.deepCopy();
    updated.putObject("status").putArray("conditions").addObject().put("type", "Failed").put("status", "True");

    strategy.prepareForStatusUpdate(updated, old);

    assertThat(updated.at("/status/conditions/0/lastUpdateTime").asText()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(updated.at("/status/conditions/0/lastTransitionTime").asText()).isEqualTo("2026-12-07T10:00:00Z");
  }
}
