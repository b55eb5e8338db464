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
 * helm 4 installs, upgrades, rolls back and uninstalls charts shaped like popular public ones (the test tree's
 * {@code e2e/charts}): a web application with RBAC, an Ingress, a PodDisruptionBudget and a HorizontalPodAutoscaler,
 * and an operator with its CustomResourceDefinition (in the chart's {@code crds/}), a custom resource, cluster RBAC
 * and admission webhook configurations. helm 4 writes with server-side apply.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmChartsIT {
  private Path temp;
  private DaemonProcess daemon;
  private Kubectl kubectl;
  private Helm helm;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    daemon = new DaemonProcess(temp.resolve("data"),
        List.of("--no-node-agent", "--no-service-proxy", "--socks-port", "-1")).start();
    kubectl = new Kubectl(daemon.kubeconfig());
    helm = new Helm(daemon.kubeconfig(), temp);
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) {
      assertThat(daemon.stop()).as("clean exit on SIGTERM").isEqualTo(0);
    }
  }

  private static String chart(String name) {
    Path path = Paths.get("src", "test", "resources", "e2e", "charts", name);
    return (Files.isDirectory(path) ? path : Paths.get("minicluster").resolve(path)).toAbsolutePath().toString();
  }

  private String jsonpath(String resource, String path) throws Exception {
    return kubectl.run("get", resource, "-o", "jsonpath=" + path).assertOk().stdout();
  }

  @Test
  @Order(1)
  void webApplicationWithRbacIngressBudgetAndAutoscaler() throws Exception {
    // the cluster's default IngressClass is given to an Ingress that names none
    Path ingressClass = temp.resolve("ingressclass.yaml");
    Files.writeString(ingressClass, """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: minicluster
          annotations:
            ingressclass.kubernetes.io/is-default-class: "true"
        spec:
          controller: example.com/ingress-controller
        """);
    kubectl.run("apply", "-f", ingressClass.toString()).assertOk();

    assertThat(helm.run("install", "web", chart("webapp"))).contains("STATUS: deployed", "REVISION: 1");
    String objects = kubectl.run("get", "deploy,svc,sa,cm,role,rolebinding,ingress,pdb,hpa", "-l",
        "app.kubernetes.io/instance=web", "-o", "name").assertOk().stdout();
    assertThat(objects).contains("deployment.apps/web-webapp", "service/web-webapp", "serviceaccount/web-webapp",
        "configmap/web-webapp", "role.rbac.authorization.k8s.io/web-webapp",
        "rolebinding.rbac.authorization.k8s.io/web-webapp", "ingress.networking.k8s.io/web-webapp",
        "poddisruptionbudget.policy/web-webapp", "horizontalpodautoscaler.autoscaling/web-webapp");
    assertThat(jsonpath("ingress/web-webapp", "{.spec.ingressClassName}")).isEqualTo("minicluster");
    assertThat(kubectl.run("get", "ingress", "web-webapp").assertOk().stdout())
        .contains("CLASS", "HOSTS", "minicluster", "webapp.example.test");
    assertThat(jsonpath("hpa/web-webapp", "{.spec.scaleTargetRef.name}")).isEqualTo("web-webapp");
    assertThat(kubectl.run("auth", "can-i", "list", "endpointslices.discovery.k8s.io",
        "--as=system:serviceaccount:default:web-webapp").assertOk().stdout()).isEqualTo("yes\n");

    assertThat(helm.run("upgrade", "web", chart("webapp"), "--set", "config.greeting=hi",
        "--set", "pdb.minAvailable=2", "--set", "ingress.enabled=false")).contains("has been upgraded");
    assertThat(jsonpath("cm/web-webapp", "{.data.greeting}")).isEqualTo("hi");
    assertThat(jsonpath("pdb/web-webapp", "{.spec.minAvailable}")).isEqualTo("2");
    assertThat(kubectl.run("get", "ingress").assertOk().stderr()).contains("No resources found");

    assertThat(helm.run("rollback", "web", "1")).contains("Rollback was a success");
    assertThat(jsonpath("cm/web-webapp", "{.data.greeting}")).isEqualTo("hello");
    assertThat(jsonpath("pdb/web-webapp", "{.spec.minAvailable}")).isEqualTo("1");
    assertThat(jsonpath("ingress/web-webapp", "{.spec.rules[0].host}")).isEqualTo("webapp.example.test");
    assertThat(helm.run("history", "web")).contains("superseded", "deployed", "Rollback to 1");

    assertThat(helm.run("uninstall", "web")).contains("uninstalled");
    assertThat(kubectl.run("get", "deploy,svc,cm,role,rolebinding,ingress,pdb,hpa", "-l",
        "app.kubernetes.io/instance=web").assertOk().stderr()).contains("No resources found");
  }

  @Test
  @Order(2)
  void operatorWithItsCustomResourceDefinitionRbacAndWebhooks() throws Exception {
    assertThat(helm.run("install", "op", chart("operator"))).contains("STATUS: deployed");
    assertThat(kubectl.run("get", "crd", "widgets.example.com").assertOk().stdout()).contains("widgets.example.com");
    assertThat(kubectl.run("get", "validatingwebhookconfigurations,mutatingwebhookconfigurations", "-o", "name")
        .assertOk().stdout()).contains("op-operator-webhook");
    String widgets = kubectl.run("get", "wdg").assertOk().stdout();
    assertThat(widgets.lines().findFirst().orElseThrow()).matches("NAME\\s+SIZE\\s+COLOR\\s+AGE");
    assertThat(widgets).contains("first", "1", "blue");

    assertThat(helm.run("upgrade", "op", chart("operator"), "--set", "widget.size=3")).contains("has been upgraded");
    assertThat(jsonpath("widget/first", "{.spec.size}")).isEqualTo("3");

    // the CRD's schema is enforced on what helm applies: the upgrade fails with the apiserver's field error
    Helm.Result invalid = helm.attempt("upgrade", "op", chart("operator"), "--set", "widget.size=20");
    assertThat(invalid.exitCode()).isNotZero();
    assertThat(invalid.output()).contains("spec.size", "should be less than or equal to 10");
    assertThat(jsonpath("widget/first", "{.spec.size}")).isEqualTo("3");

    assertThat(helm.run("rollback", "op", "1")).contains("Rollback was a success");
    assertThat(jsonpath("widget/first", "{.spec.size}")).isEqualTo("1");

    assertThat(helm.run("uninstall", "op")).contains("uninstalled");
    assertThat(kubectl.run("get", "widgets").assertOk().stderr()).contains("No resources found");
    assertThat(kubectl.run("get", "validatingwebhookconfigurations,mutatingwebhookconfigurations,clusterroles",
        "-l", "app.kubernetes.io/instance=op").assertOk().stderr()).contains("No resources found");
    // as on any cluster, helm leaves the CRDs of a chart's crds/ directory in place
    kubectl.run("get", "crd", "widgets.example.com").assertOk();
  }
}
