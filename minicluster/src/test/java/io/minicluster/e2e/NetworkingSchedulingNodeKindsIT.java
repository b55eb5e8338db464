package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's remaining built-in groups with the real kubectl 1.35: networking.k8s.io/v1 Ingress, IngressClass and
 * NetworkPolicy, scheduling.k8s.io/v1 PriorityClass and node.k8s.io/v1 RuntimeClass are in discovery with their short
 * names, created from YAML, printed with upstream's columns and described; bad input gets the apiserver's 422; the
 * admission plugins give a pod the priority of its class and an Ingress without class the default class. kubectl
 * 1.20 reads Ingresses and PriorityClasses in the same versions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkingSchedulingNodeKindsIT {
  private static final String IMAGE = "minicluster-test/busybox:1";
  private static final Path KUBECTL_120 = Paths.get(System.getenv().getOrDefault("KUBECTL_120",
      "../.ci/tools/kubectl120"));

  private Path temp;
  private DaemonProcess daemon;
  private Kubectl kubectl;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent", "--socks-port", "-1")).start();
    kubectl = new Kubectl(daemon.kubeconfig());
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) {
      assertThat(daemon.stop()).as("clean exit on SIGTERM").isEqualTo(0);
    }
  }

  private Path write(String name, String content) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private String get(String... args) throws Exception {
    return kubectl.run(args).assertOk().stdout();
  }

  private String rejected(String name, String yaml) throws Exception {
    Kubectl.Result result = kubectl.run("create", "-f", write(name, yaml).toString());
    assertThat(result.exitCode()).as(result.stdout()).isNotZero();
    return result.stderr();
  }

  @Test
  @Order(1)
  void discoveryListsTheKindsAndTheSystemPriorityClassesExist() throws Exception {
    assertThat(get("api-resources").lines())
        .anyMatch(l -> l.matches("ingresses\\s+ing\\s+networking.k8s.io/v1\\s+true\\s+Ingress"))
        .anyMatch(l -> l.matches("ingressclasses\\s+networking.k8s.io/v1\\s+false\\s+IngressClass"))
        .anyMatch(l -> l.matches("networkpolicies\\s+netpol\\s+networking.k8s.io/v1\\s+true\\s+NetworkPolicy"))
        .anyMatch(l -> l.matches("priorityclasses\\s+pc\\s+scheduling.k8s.io/v1\\s+false\\s+PriorityClass"))
        .anyMatch(l -> l.matches("runtimeclasses\\s+node.k8s.io/v1\\s+false\\s+RuntimeClass"));
    String classes = get("get", "pc");
    assertThat(classes.lines().findFirst().orElseThrow())
        .matches("NAME\\s+VALUE\\s+GLOBAL-DEFAULT\\s+AGE\\s+PREEMPTIONPOLICY");
    assertThat(classes).containsPattern("system-cluster-critical\\s+2000000000\\s+false\\s+\\S+\\s+"
        + "PreemptLowerPriority").containsPattern("system-node-critical\\s+2000001000\\s+false");
  }

  @Test
  @Order(2)
  void eachKindIsCreatedPrintedAndDescribed() throws Exception {
    get("apply", "-f", write("kinds.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: nginx
          annotations:
            ingressclass.kubernetes.io/is-default-class: "true"
        spec:
          controller: k8s.io/ingress-nginx
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
        spec:
          tls:
          - hosts: [web.example.com]
            secretName: web-tls
          rules:
          - host: web.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: web
                    port:
                      number: 80
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: db
        spec:
          podSelector:
            matchLabels: {app: db}
          ingress:
          - from:
            - podSelector:
                matchLabels: {app: web}
            ports:
            - port: 5432
        ---
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata:
          name: high
        value: 1000000
        description: for the important pods
        ---
        apiVersion: node.k8s.io/v1
        kind: RuntimeClass
        metadata:
          name: default-runc
        handler: runc
        overhead:
          podFixed: {cpu: 100m}
        """).toString());

    String ingresses = get("get", "ing");
    assertThat(ingresses.lines().findFirst().orElseThrow())
        .matches("NAME\\s+CLASS\\s+HOSTS\\s+ADDRESS\\s+PORTS\\s+AGE");
    assertThat(ingresses).containsPattern("web\\s+nginx\\s+web.example.com\\s+80, 443\\s+");
    assertThat(get("get", "ingressclass")).containsPattern("NAME\\s+CONTROLLER\\s+PARAMETERS\\s+AGE")
        .containsPattern("nginx\\s+k8s.io/ingress-nginx\\s+<none>");
    assertThat(get("get", "netpol")).containsPattern("NAME\\s+POD-SELECTOR\\s+AGE").containsPattern("db\\s+app=db");
    assertThat(get("get", "runtimeclass")).containsPattern("NAME\\s+HANDLER\\s+AGE")
        .containsPattern("default-runc\\s+runc");
    assertThat(get("get", "pc", "high")).containsPattern("high\\s+1000000\\s+false\\s+\\S+\\s+PreemptLowerPriority");

    assertThat(get("describe", "ingress", "web")).contains("Ingress Class:", "nginx", "web.example.com",
        "web-tls terminates web.example.com", "web:80");
    assertThat(get("describe", "netpol", "db")).contains("PodSelector:", "app=db", "Allowing ingress traffic:",
        "To Port: 5432/TCP");
    assertThat(get("describe", "priorityclass", "high")).contains("Value:", "1000000",
        "for the important pods");
    assertThat(get("describe", "runtimeclass", "default-runc")).contains("Handler:", "runc");
    assertThat(get("describe", "ingressclass", "nginx")).contains("Controller:", "k8s.io/ingress-nginx");
  }

  @Test
  @Order(3)
  void invalidObjectsGetTheApiserversMessages() throws Exception {
    assertThat(rejected("no-path-type.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: bad
        spec:
          rules:
          - http:
              paths:
              - path: /
                backend:
                  service: {name: web, port: {number: 80}}
        """)).contains("The Ingress \"bad\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: "
            + "pathType must be specified");
    assertThat(rejected("too-high.yaml", """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata:
          name: too-high
        value: 1000000001
        """)).contains("The PriorityClass \"too-high\" is invalid: value: Forbidden: maximum allowed value of a "
            + "user defined priority is 1000000000");
    assertThat(rejected("bad-handler.yaml", """
        apiVersion: node.k8s.io/v1
        kind: RuntimeClass
        metadata:
          name: bad
        handler: Not_Valid
        """)).contains("The RuntimeClass \"bad\" is invalid: handler: Invalid value: \"Not_Valid\"");
  }

  @Test
  @Order(4)
  void admissionGivesPodsTheirPriorityAndIngressesTheDefaultClass() throws Exception {
    get("run", "important", "--image", IMAGE, "--overrides",
        "{\"spec\":{\"priorityClassName\":\"high\",\"runtimeClassName\":\"default-runc\"}}");
    assertThat(get("get", "pod", "important", "-o",
        "jsonpath={.spec.priority} {.spec.preemptionPolicy} {.spec.overhead.cpu}"))
        .isEqualTo("1000000 PreemptLowerPriority 100m");
    assertThat(get("run", "plain", "--image", IMAGE, "-o", "jsonpath={.spec.priority}", "--dry-run=server"))
        .isEqualTo("0");
    Kubectl.Result unknown = kubectl.run("run", "lost", "--image", IMAGE, "--overrides",
        "{\"spec\":{\"priorityClassName\":\"nope\"}}");
    assertThat(unknown.stderr()).contains("pods \"lost\" is forbidden: no PriorityClass with name nope was found");

    get("create", "ingress", "classless", "--rule", "shop.example.com/=shop:80");
    assertThat(get("get", "ingress", "classless", "-o", "jsonpath={.spec.ingressClassName}")).isEqualTo("nginx");
  }

  @Test
  @Order(5)
  void kubectl120ReadsIngressesAndPriorityClasses() throws Exception {
    Kubectl old = new Kubectl(daemon.kubeconfig(), KUBECTL_120.toAbsolutePath().toString());
    assertThat(old.run("get", "ingress").assertOk().stdout()).containsPattern("web\\s+nginx\\s+web.example.com");
    assertThat(old.run("get", "priorityclass").assertOk().stdout())
        .containsPattern("system-node-critical\\s+2000001000\\s+false");
  }
}
