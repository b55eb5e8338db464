package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the real daemon and kubectl 1.35: every served group/version is listed as an Available Local APIService; a
 * CertificateSigningRequest made from an openssl key is approved with kubectl certificate approve, signed by the
 * cluster CA, and its certificate authenticates as the request's CN and O (whoami; a 403 without bindings); the
 * flow-control bootstrap objects are listed.
 */
class CertificatesAndApiServicesIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void apiServicesCertificatesAndFlowControl(@TempDir Path temp) throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent",
        "--no-service-proxy", "--socks-port", "-1")).start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());

      HostTools.waitUntil("the APIServices are registered and available", WAIT,
          () -> kubectl.run("get", "apiservices").stdout().lines().anyMatch(line -> line.matches(
              "v1\\.apps\\s+Local\\s+True\\s+\\S+")));
      String apiServices = kubectl.run("get", "apiservices").assertOk().stdout();
      assertThat(apiServices.lines().findFirst().orElseThrow().split("\\s+"))
          .containsExactly("NAME", "SERVICE", "AVAILABLE", "AGE");
      assertThat(apiServices).containsPattern("(?m)^v1\\.\\s+Local\\s+True")
          .containsPattern("(?m)^v1\\.certificates\\.k8s\\.io\\s+Local\\s+True")
          .containsPattern("(?m)^v1\\.apiregistration\\.k8s\\.io\\s+Local\\s+True");
      assertThat(kubectl.run("get", "apiservice", "v2.autoscaling", "-o",
          "jsonpath={.spec.groupPriorityMinimum}/{.spec.versionPriority}").assertOk().stdout()).isEqualTo("17500/30");
      kubectl.run("describe", "apiservice", "v1.apps").assertOk();

      // a key and request from openssl, as the Kubernetes documentation makes them
      Path key = temp.resolve("jane.key");
      Path request = temp.resolve("jane.csr");
      openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", key.toString(), "-subj", "/O=dev/CN=jane", "-out", request.toString());
      String csr = """
          apiVersion: certificates.k8s.io/v1
          kind: CertificateSigningRequest
          metadata:
            name: jane
          spec:
            request: %s
            signerName: kubernetes.io/kube-apiserver-client
            expirationSeconds: 86400
            usages:
            - client auth
          """.formatted(Base64.getEncoder().encodeToString(Files.readAllBytes(request)));
      assertThat(kubectl.runWithInput(csr, "apply", "-f", "-").assertOk().stdout().trim())
          .isEqualTo("certificatesigningrequest.certificates.k8s.io/jane created");
      String pending = kubectl.run("get", "csr", "jane").assertOk().stdout();
      assertThat(pending.lines().findFirst().orElseThrow().split("\\s+"))
          .containsExactly("NAME", "AGE", "SIGNERNAME", "REQUESTOR", "REQUESTEDDURATION", "CONDITION");
      assertThat(pending.lines().toList().get(1))
          .matches("jane\\s+\\S+\\s+kubernetes.io/kube-apiserver-client\\s+minicluster-admin\\s+24h\\s+Pending");

      assertThat(kubectl.run("certificate", "approve", "jane").assertOk().stdout().trim())
          .isEqualTo("certificatesigningrequest.certificates.k8s.io/jane approved");
      HostTools.waitUntil("the signer issues the certificate", WAIT,
          () -> !kubectl.run("get", "csr", "jane", "-o", "jsonpath={.status.certificate}").stdout().isBlank());
      assertThat(kubectl.run("get", "csr", "jane").assertOk().stdout()).contains("Approved,Issued");
      assertThat(kubectl.run("describe", "csr", "jane").assertOk().stdout()).contains("Approved");
      Path certificate = temp.resolve("jane.crt");
      Files.write(certificate, Base64.getDecoder().decode(
          kubectl.run("get", "csr", "jane", "-o", "jsonpath={.status.certificate}").assertOk().stdout().trim()));

      // the certificate authenticates as CN jane, group dev, who has no bindings
      Path janeConfig = temp.resolve("jane.kubeconfig");
      Files.copy(daemon.kubeconfig(), janeConfig);
      Kubectl jane = new Kubectl(janeConfig);
      jane.run("config", "set-credentials", "jane", "--client-certificate=" + certificate,
          "--client-key=" + key, "--embed-certs=true").assertOk();
      jane.run("config", "set-context", "--current", "--user=jane").assertOk();
      String whoami = jane.run("auth", "whoami").assertOk().stdout();
      assertThat(whoami).containsPattern("Username\\s+jane").containsPattern("Groups\\s+\\[dev system:authenticated\\]");
      assertThat(jane.run("get", "pods").stderr().trim()).isEqualTo("Error from server (Forbidden): pods is "
          + "forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");

      // a denied request is never signed
      kubectl.runWithInput(csr.replace("name: jane", "name: denied"), "apply", "-f", "-").assertOk();
      assertThat(kubectl.run("certificate", "deny", "denied").assertOk().stdout().trim())
          .isEqualTo("certificatesigningrequest.certificates.k8s.io/denied denied");
      assertThat(kubectl.run("get", "csr", "denied").assertOk().stdout()).contains("Denied");

      String schemas = kubectl.run("get", "flowschemas").assertOk().stdout();
      assertThat(schemas.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("NAME", "PRIORITYLEVEL",
          "MATCHINGPRECEDENCE", "DISTINGUISHERMETHOD", "AGE", "MISSINGPL");
      assertThat(schemas).containsPattern("(?m)^exempt\\s+exempt\\s+1\\s+<none>\\s+\\S+\\s+False$")
          .containsPattern("(?m)^catch-all\\s+catch-all\\s+10000\\s+ByUser\\s+\\S+\\s+False$");
      assertThat(kubectl.run("get", "prioritylevelconfigurations").assertOk().stdout())
          .containsPattern("(?m)^workload-low\\s+Limited\\s+100\\s+128\\s+6\\s+50\\s+\\S+$")
          .containsPattern("(?m)^exempt\\s+Exempt\\s+<none>\\s+<none>\\s+<none>\\s+<none>\\s+\\S+$");
      kubectl.run("describe", "flowschema", "catch-all").assertOk();
    }
  }

  private static void openssl(String... args) throws Exception {
    Process process = new ProcessBuilder(concat("openssl", args)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static List<String> concat(String first, String... rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(Arrays.asList(rest));
    return all;
  }
}
