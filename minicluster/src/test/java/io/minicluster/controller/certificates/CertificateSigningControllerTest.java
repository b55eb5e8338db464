package io.minicluster.controller.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.pki.Pem;
import io.minicluster.pki.Pki;
import io.minicluster.registry.WriteOptions;
import io.minicluster.testing.SigningRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateSigningControllerTest extends ClusterTest {
  @TempDir
  Path pkiDir;

  /** A signer over a test CA that records what it was asked. */
  private static final class RecordingSigner implements CertificateSigner {
    final List<String> signed = new ArrayList<>();
    final Pki pki;

    RecordingSigner(Pki pki) {
      this.pki = pki;
    }

    @Override
    public Subject subject(byte[] requestPem) {
      return new Subject("system:node:n1", List.of("system:nodes"), false);
    }

    @Override
    public String sign(byte[] requestPem, List<String> usages, Duration ttl) {
      signed.add(usages + " " + ttl);
      return pki.signRequest(requestPem, usages, ttl);
    }
  }

  private ObjectNode create(String name, String signerName, String usages, String extra) {
    String request = SigningRequests.base64(SigningRequests.keyPair(), "jane", List.of());
    return client.create(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, null, Json.parseObject(
        ("{'metadata':{'name':'" + name + "'},'spec':{'request':'" + request + "','signerName':'" + signerName
            + "','usages':" + usages + extra + "}}").replace('\'', '"')));
  }

  private void approve(String name) {
    ObjectNode csr = client.get(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, null, name);
    csr.putObject("status").putArray("conditions").addObject().put("type", "Approved").put("status", "True")
        .put("reason", "KubectlApprove").put("message", "This CSR was approved by kubectl certificate approve.");
    cluster.subresources().approval().update(name, csr, WriteOptions.DEFAULT);
  }

  private String status(String name, String field) {
    return client.get(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, null, name).path("status").path(field).toString();
  }

  @Test
  void signsApprovedRequestsOfItsSignersAndFailsThoseItRefuses() throws Exception {
    RecordingSigner signer = new RecordingSigner(Pki.loadOrCreate(pkiDir, List.of(), List.of()));
    cluster.run("csrsigning", 1, queue -> new CertificateSigningController(client, cluster.informers(), queue,
        signer, CertificateSigningController.DEFAULT_TTL, Clock.systemUTC()));
    create("pending", "kubernetes.io/kube-apiserver-client", "['client auth']", "");
    create("short", "kubernetes.io/kube-apiserver-client", "['client auth','digital signature']",
        ",'expirationSeconds':3600");
    create("server", "kubernetes.io/kube-apiserver-client", "['server auth']", "");
    create("other", "example.com/signer", "['client auth']", "");
    approve("short");
    approve("server");
    approve("other");

    Eventually.assertThat(() -> {
      String certificate = client.get(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, null, "short")
          .at("/status/certificate").asText();
      assertThat(Pem.parseCertificate(new String(Base64.getDecoder().decode(certificate), StandardCharsets.UTF_8))
          .getSubjectX500Principal().getName()).isEqualTo("CN=jane");
      assertThat(status("server", "conditions")).contains("\"type\":\"Failed\"")
          .contains("\"reason\":\"SignerValidationFailure\"")
          .contains("\"message\":\"invalid usage for client certificate: server auth\"");
    });
    assertThat(signer.signed).containsExactly("[client auth, digital signature] PT1H");
    assertThat(status("pending", "certificate")).isEqualTo("");
    assertThat(status("other", "certificate")).isEqualTo("");
  }

  @Test
  void theKubeletSignerChecksTheSubjectAndUsages() {
    CertificateSigner.Subject node = new CertificateSigner.Subject("system:node:n1", List.of("system:nodes"), false);
    assertThat(CertificateSigningController.kubeletClientRefusal(node,
        List.of("digital signature", "client auth"))).isNull();
    assertThat(CertificateSigningController.kubeletClientRefusal(node, List.of("client auth")))
        .isEqualTo("usages did not match [client auth digital signature key encipherment]");
    assertThat(CertificateSigningController.kubeletClientRefusal(
        new CertificateSigner.Subject("jane", List.of("system:nodes"), false), List.of("client auth")))
        .isEqualTo("subject common name does not begin with system:node:");
    assertThat(CertificateSigningController.apiServerClientRefusal(List.of("digital signature")))
        .isEqualTo("missing required usage for client certificate: client auth");
  }
}
