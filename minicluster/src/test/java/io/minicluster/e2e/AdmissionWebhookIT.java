package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission webhooks with the real daemon and kubectl 1.35: the test serves three webhooks over HTTPS on loopback
 * (JDK HttpsServer, a self-signed certificate made here and given as caBundle) and registers them by url: a validating
 * webhook denies configmaps labelled deny=yes (kubectl prints the apiserver's denial) and warns about the others, a
 * mutating webhook labels new pods, and a webhook that answers too late fails secrets' creation under failurePolicy
 * Fail and lets it pass under Ignore, and a webhook on the CONNECT operation of pods/exec refuses {@code kubectl exec}
 * into a running pod. With the configurations gone, everything is admitted again.
 */
class AdmissionWebhookIT {
  @Test
  void webhooksDenyMutateWarnAndFailAsTheirPolicySays(@TempDir Path temp) throws Exception {
    TlsServer tls = TlsServer.create();
    HttpsServer server = tls.server();
    server.createContext("/validate", exchange -> answer(exchange, request -> {
      boolean deny = request.at("/object/metadata/labels/deny").asText().equals("yes");
      return deny ? "{\"allowed\":false,\"status\":{\"message\":\"configmaps labelled deny=yes are not allowed\"}}"
          : "{\"allowed\":true,\"warnings\":[\"configmap " + request.at("/object/metadata/name").asText()
              + " looked at by " + request.at("/userInfo/username").asText() + "\"]}";
    }));
    server.createContext("/mutate", exchange -> answer(exchange, request -> "{\"allowed\":true,"
        + "\"patchType\":\"JSONPatch\",\"patch\":\"" + Base64.getEncoder().encodeToString(
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/mutated\",\"value\":\"by-webhook\"}]"
            .getBytes(StandardCharsets.UTF_8)) + "\"}"));
    server.createContext("/no-exec", exchange -> answer(exchange, request -> "{\"allowed\":false,\"status\":{"
        + "\"message\":\"no exec into " + request.at("/name").asText() + " (" + request.at("/kind/kind").asText()
        + " " + request.at("/object/command").toString().replace("\"", "\\\"") + ")\"}}"));
    server.createContext("/slow", exchange -> answer(exchange, request -> {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "{\"allowed\":true}";
    }));
    server.start();
    String base = "https://127.0.0.1:" + server.getAddress().getPort();
    String caBundle = tls.caBundle();
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), List.of(
        "--no-service-proxy", "--socks-port", "-1")).start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());

      kubectl.runWithInput(configuration("ValidatingWebhookConfiguration", "deny", "deny.example.com",
          base + "/validate", caBundle, "configmaps", "Fail", 10), "apply", "-f", "-").assertOk();
      kubectl.runWithInput(configuration("MutatingWebhookConfiguration", "label", "label.example.com",
          base + "/mutate", caBundle, "pods", "Fail", 10), "apply", "-f", "-").assertOk();
      String denied = configMap("bad", "yes");
      HostTools.waitUntil("the validating webhook is in force", Duration.ofSeconds(10),
          () -> kubectl.runWithInput(denied, "create", "--dry-run=server", "-f", "-").exitCode() != 0);

      Kubectl.Result denial = kubectl.runWithInput(denied, "create", "-f", "-");
      assertThat(denial.exitCode()).isNotZero();
      assertThat(denial.stderr().trim()).isEqualTo("Error from server (Forbidden): error when creating \"STDIN\": "
          + "configmaps \"bad\" is forbidden: admission webhook \"deny.example.com\" denied the request: configmaps "
          + "labelled deny=yes are not allowed");
      Kubectl.Result allowed = kubectl.runWithInput(configMap("good", "no"), "create", "-f", "-").assertOk();
      assertThat(allowed.stderr()).contains("Warning: configmap good looked at by minicluster-admin");
      assertThat(kubectl.run("get", "validatingwebhookconfigurations").assertOk().stdout())
          .containsPattern("(?m)^NAME\\s+WEBHOOKS\\s+AGE$").containsPattern("(?m)^deny\\s+1\\s+\\S+$");

      HostTools.waitUntil("the mutating webhook labels pods", Duration.ofSeconds(10), () -> {
        kubectl.run("delete", "pod", "web", "--ignore-not-found", "--wait=false").assertOk();
        kubectl.run("run", "web", "--image=busybox").assertOk();
        return kubectl.run("get", "pod", "web", "-o", "jsonpath={.metadata.labels}").assertOk().stdout()
            .equals("{\"mutated\":\"by-webhook\",\"run\":\"web\"}");
      });

      kubectl.runWithInput(configuration("ValidatingWebhookConfiguration", "slow", "slow.example.com",
          base + "/slow", caBundle, "secrets", "Fail", 1), "apply", "-f", "-").assertOk();
      HostTools.waitUntil("the slow webhook fails secrets", Duration.ofSeconds(15), () -> {
        Kubectl.Result failed = kubectl.run("create", "secret", "generic", "s1", "--from-literal=a=b");
        if (failed.exitCode() == 0) {
          kubectl.run("delete", "secret", "s1").assertOk();
          return false;
        }
        assertThat(failed.stderr().trim()).isEqualTo("error: failed to create secret Internal error occurred: "
            + "failed calling webhook \"slow.example.com\": failed to call webhook: Post \"" + base
            + "/slow?timeout=1s\": context deadline exceeded");
        return true;
      });
      kubectl.runWithInput(configuration("ValidatingWebhookConfiguration", "slow", "slow.example.com",
          base + "/slow", caBundle, "secrets", "Ignore", 1), "apply", "-f", "-").assertOk();
      HostTools.waitUntil("the slow webhook is ignored", Duration.ofSeconds(15),
          () -> kubectl.run("create", "secret", "generic", "s1", "--from-literal=a=b").exitCode() == 0);

      // a connection is admitted too: a webhook on CONNECT pods/exec refuses kubectl exec
      kubectl.runWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: sleeper\n  labels: {app: sleeper}\n"
          + "spec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: c, image: minicluster-test/busybox:1, "
          + "imagePullPolicy: Never, command: [sleep, \"3600\"]}]\n", "apply", "-f", "-").assertOk();
      kubectl.run("wait", "--for=condition=Ready", "pod/sleeper", "--timeout=60s").assertOk();
      assertThat(kubectl.run("exec", "sleeper", "--", "echo", "in").assertOk().stdout()).isEqualTo("in\n");
      kubectl.runWithInput(configuration("ValidatingWebhookConfiguration", "no-exec", "no-exec.example.com",
          base + "/no-exec", caBundle, "pods/exec", "Fail", 10).replace("operations: [CREATE]",
          "operations: [CONNECT]"), "apply", "-f", "-").assertOk();
      HostTools.waitUntil("the exec webhook is in force", Duration.ofSeconds(10),
          () -> kubectl.run("exec", "sleeper", "--", "true").exitCode() != 0);
      Kubectl.Result exec = kubectl.run("exec", "sleeper", "--", "echo", "in");
      assertThat(exec.exitCode()).isNotZero();
      assertThat(exec.stderr().trim()).isEqualTo("Error from server (Forbidden): pods \"sleeper\" is forbidden: "
          + "admission webhook \"no-exec.example.com\" denied the request: no exec into sleeper (PodExecOptions "
          + "[\"echo\",\"in\"])");
      kubectl.run("delete", "validatingwebhookconfigurations", "no-exec").assertOk();

      // validating admission policies are stored and validated, and said not to be enforced
      Kubectl.Result policy = kubectl.runWithInput("apiVersion: admissionregistration.k8s.io/v1\n"
          + "kind: ValidatingAdmissionPolicy\nmetadata:\n  name: replicas\nspec:\n  matchConstraints:\n"
          + "    resourceRules:\n    - operations: [CREATE, UPDATE]\n      apiGroups: [apps]\n      apiVersions: [v1]\n"
          + "      resources: [deployments]\n  validations:\n  - expression: object.spec.replicas <= 5\n---\n"
          + "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n"
          + "  name: replicas\nspec:\n  policyName: replicas\n  validationActions: [Deny, Warn]\n",
          "apply", "-f", "-");
      assertThat(policy.stdout().trim()).as(policy.stderr()).isEqualTo(
          "validatingadmissionpolicy.admissionregistration.k8s.io/replicas created");
      assertThat(policy.stderr()).contains("Warning: ValidatingAdmissionPolicy \"replicas\" is stored but not "
          + "enforced: minicluster does not evaluate CEL expressions").contains("ValidatingAdmissionPolicyBinding "
          + "\"replicas\" is invalid: spec.validationActions: Invalid value: [\"Deny\",\"Warn\"]: must not contain "
          + "both Deny and Warn");
      assertThat(kubectl.run("get", "validatingadmissionpolicies").assertOk().stdout())
          .containsPattern("(?m)^NAME\\s+VALIDATIONS\\s+PARAMKIND\\s+AGE$")
          .containsPattern("(?m)^replicas\\s+1\\s+<unset>\\s+\\S+$");

      kubectl.run("delete", "validatingwebhookconfigurations", "deny", "slow").assertOk();
      kubectl.run("delete", "mutatingwebhookconfigurations", "label").assertOk();
      HostTools.waitUntil("no webhook is called once the configurations are gone", Duration.ofSeconds(10),
          () -> kubectl.runWithInput(denied, "create", "--dry-run=server", "-f", "-").exitCode() == 0);
      kubectl.runWithInput(denied, "create", "-f", "-").assertOk();
      kubectl.run("run", "plain", "--image=busybox").assertOk();
      assertThat(kubectl.run("get", "pod", "plain", "-o", "jsonpath={.metadata.labels}").assertOk().stdout())
          .isEqualTo("{\"run\":\"plain\"}");
      // the node agent's containers go with their pods, not with the daemon (pods outlive restarts)
      kubectl.run("delete", "pods", "--all", "--grace-period=1", "--timeout=60s").assertOk();
    } finally {
      server.stop(0);
    }
  }

  /**
   * A CRD whose v1 says spec.cronSpec and v2 spec.schedule, converted by a webhook served here: kubectl writes and
   * reads either version, objects are stored in the storage version, and a webhook that is gone fails reads with the
   * apiserver's conversion error while the storage version still reads.
   */
  @Test
  void aConversionWebhookConvertsCustomResourcesBetweenVersions(@TempDir Path temp) throws Exception {
    TlsServer tls = TlsServer.create();
    HttpsServer server = tls.server();
    List<Integer> reviewSizes = new CopyOnWriteArrayList<>();
    server.createContext("/convert", exchange -> {
      JsonNode request = Json.parse(exchange.getRequestBody().readAllBytes()).get("request");
      String apiVersion = request.get("desiredAPIVersion").asText();
      boolean toV2 = apiVersion.endsWith("/v2");
      reviewSizes.add(request.get("objects").size());
      ObjectNode answer = Json.parseObject("{\"apiVersion\":\"apiextensions.k8s.io/v1\","
          + "\"kind\":\"ConversionReview\",\"response\":{\"result\":{\"status\":\"Success\"}}}");
      ObjectNode response = (ObjectNode) answer.get("response");
      response.put("uid", request.get("uid").asText());
      for (JsonNode object : request.get("objects")) {
        ObjectNode converted = object.deepCopy();
        converted.put("apiVersion", apiVersion);
        ObjectNode spec = (ObjectNode) converted.get("spec");
        spec.set(toV2 ? "schedule" : "cronSpec", spec.remove(toV2 ? "cronSpec" : "schedule"));
        response.withArray("convertedObjects").add(converted);
      }
      byte[] bytes = Json.bytes(answer);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/convert";
    String caBundle = tls.caBundle();
    String schema = "    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n"
        + "          spec:\n            type: object\n            properties:\n              %s: {type: string}\n"
        + "    additionalPrinterColumns:\n    - {name: When, type: string, jsonPath: .spec.%s}\n";
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), List.of(
        "--no-node-agent", "--no-service-proxy", "--socks-port", "-1")).start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());
      kubectl.runWithInput("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
          + "  name: crontabs.stable.example.com\nspec:\n  group: stable.example.com\n  scope: Namespaced\n"
          + "  names: {plural: crontabs, kind: CronTab}\n  conversion:\n    strategy: Webhook\n    webhook:\n"
          + "      conversionReviewVersions: [v1]\n      clientConfig:\n        url: " + url + "\n"
          + "        caBundle: " + caBundle + "\n  versions:\n  - name: v1\n    served: true\n    storage: true\n"
          + schema.formatted("cronSpec", "cronSpec") + "  - name: v2\n    served: true\n    storage: false\n"
          + schema.formatted("schedule", "schedule"), "apply", "-f", "-").assertOk();
      kubectl.run("wait", "--for", "condition=established", "--timeout=10s", "crd/crontabs.stable.example.com")
          .assertOk();
      HostTools.waitUntil("the custom resources are served", Duration.ofSeconds(10),
          () -> kubectl.run("get", "crontabs").exitCode() == 0);

      kubectl.runWithInput("apiVersion: stable.example.com/v2\nkind: CronTab\nmetadata:\n  name: a\n"
          + "spec:\n  schedule: '*/5 * * * *'\n", "apply", "-f", "-").assertOk();
      kubectl.runWithInput("apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: b\n"
          + "spec:\n  cronSpec: '*/7 * * * *'\n", "apply", "-f", "-").assertOk();
      assertThat(kubectl.run("get", "crontabs.v1.stable.example.com", "a", "-o", "jsonpath={.spec}").assertOk()
          .stdout()).isEqualTo("{\"cronSpec\":\"*/5 * * * *\"}");
      assertThat(kubectl.run("get", "crontabs.v2.stable.example.com", "b", "-o",
          "jsonpath={.apiVersion} {.spec}").assertOk().stdout())
          .isEqualTo("stable.example.com/v2 {\"schedule\":\"*/7 * * * *\"}");
      reviewSizes.clear();
      assertThat(kubectl.run("get", "crontabs.v2.stable.example.com", "-o",
          "jsonpath={range .items[*]}{.metadata.name}={.spec.schedule};{end}").assertOk().stdout())
          .isEqualTo("a=*/5 * * * *;b=*/7 * * * *;");
      assertThat(reviewSizes).as("a list is converted in one review").containsExactly(2);
      // each version's printer columns read its own fields
      assertThat(kubectl.run("get", "crontabs.v2.stable.example.com").assertOk().stdout())
          .containsPattern("(?m)^NAME\\s+WHEN$").containsPattern("(?m)^a\\s+\\*/5 \\* \\* \\* \\*$");

      server.stop(0);
      Kubectl.Result failed = kubectl.run("get", "crontabs.v2.stable.example.com", "a");
      assertThat(failed.exitCode()).isNotZero();
      assertThat(failed.stderr().trim()).startsWith("Error from server (InternalError): Internal error occurred: "
          + "conversion webhook for stable.example.com/v1, Kind=CronTab failed: Post \"" + url + "?timeout=30s\": ");
      assertThat(kubectl.run("get", "crontabs.v1.stable.example.com", "a", "-o", "name").assertOk().stdout())
          .isEqualTo("crontab.stable.example.com/a\n");
    } finally {
      server.stop(0);
    }
  }

  /** An HTTPS server on loopback (not started) with a self-signed certificate for 127.0.0.1, given as caBundle. */
  private record TlsServer(HttpsServer server, String caBundle) {
    static TlsServer create() throws Exception {
      KeyPair key = KeyPairGenerator.getInstance("EC").generateKeyPair();
      X509Certificate certificate = selfSigned(key);
      HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(sslContext(key, certificate)));
      server.setExecutor(Executors.newCachedThreadPool());
      return new TlsServer(server,
          Base64.getEncoder().encodeToString(pem(certificate).getBytes(StandardCharsets.US_ASCII)));
    }
  }

  private static String configuration(String kind, String name, String hook, String url, String caBundle,
      String resource, String failurePolicy, int timeoutSeconds) {
    return "apiVersion: admissionregistration.k8s.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n"
        + "webhooks:\n- name: " + hook + "\n  admissionReviewVersions: [v1]\n  sideEffects: None\n"
        + "  failurePolicy: " + failurePolicy + "\n  timeoutSeconds: " + timeoutSeconds + "\n"
        + "  clientConfig:\n    url: " + url + "\n    caBundle: " + caBundle + "\n"
        + "  rules:\n  - operations: [CREATE]\n    apiGroups: ['']\n    apiVersions: [v1]\n    resources: ["
        + resource + "]\n";
  }

  private static String configMap(String name, String deny) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  labels:\n    deny: \"" + deny
        + "\"\ndata:\n  a: b\n";
  }

  /** Answers an AdmissionReview with the response the function gives for its request (the uid echoed). */
  private static void answer(HttpExchange exchange, java.util.function.Function<JsonNode, String> response)
      throws IOException {
    JsonNode review = Json.parse(exchange.getRequestBody().readAllBytes());
    ObjectNode body = Json.parseObject(response.apply(review.get("request")));
    body.put("uid", review.at("/request/uid").asText());
    ObjectNode answer = Json.object();
    answer.put("apiVersion", "admission.k8s.io/v1");
    answer.put("kind", "AdmissionReview");
    answer.set("response", body);
    byte[] bytes = Json.bytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static X509Certificate selfSigned(KeyPair key) throws Exception {
    X500Name name = new X500Name("CN=webhook");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, key.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }

  private static SSLContext sslContext(KeyPair key, X509Certificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("webhook", key.getPrivate(), new char[0], new X509Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
