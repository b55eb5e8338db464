package io.minicluster.gateway;

import static io.minicluster.testing.ScriptedListWatch.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.socks.StatusEntry;
import io.minicluster.socks.StatusLink;
import io.minicluster.socks.StatusSection;
import io.minicluster.socks.http.StatusPage;
import io.minicluster.socks.metrics.GatewayMetrics;
import io.minicluster.testing.ScriptedListWatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status page as the cluster's front page: services and pods with links by cluster name, and why not ready. */
class ClusterFrontPageTest {
  private static final String READY = "\"status\":{\"phase\":\"Running\",\"podIP\":\"%s\",\"conditions\":["
      + "{\"type\":\"Ready\",\"status\":\"True\"}],\"containerStatuses\":[{\"name\":\"web\",\"ready\":true,"
      + "\"state\":{\"running\":{}}}]}";

  private final ScriptedListWatch api = new ScriptedListWatch();
  private final SharedInformers informers = new SharedInformers(api, Duration.ofMillis(10));
  private ClusterFrontPage page;

  @BeforeEach
  void setUp() throws Exception {
    api.put(ResourceTypes.SERVICES, object("default", "web", "{\"spec\":{\"type\":\"ClusterIP\","
        + "\"clusterIP\":\"10.96.0.20\",\"selector\":{\"app\":\"web\"},\"ports\":[{\"name\":\"http\",\"port\":80,"
        + "\"protocol\":\"TCP\"},{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"}]}}"));
    api.put(ResourceTypes.ENDPOINTS, object("default", "web", "{\"subsets\":[{\"addresses\":[{\"ip\":"
        + "\"10.244.0.5\"}],\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}]}"));
    api.put(ResourceTypes.PODS, pod("default", "web-1", "web", "{"
        + "\"spec\":{\"containers\":[{\"name\":\"web\",\"ports\":[{\"containerPort\":8080,\"name\":\"http\"},"
        + "{\"containerPort\":8443,\"name\":\"https\"}]}]}," + READY.formatted("10.244.0.5") + "}"));
    // a service whose only pod cannot pull its image; the message carries markup that must not reach the page raw
    api.put(ResourceTypes.SERVICES, object("shop", "cart", "{\"spec\":{\"type\":\"NodePort\","
        + "\"clusterIP\":\"10.96.0.30\",\"selector\":{\"app\":\"cart\"},\"ports\":[{\"port\":443,"
        + "\"protocol\":\"TCP\"}]}}"));
    api.put(ResourceTypes.ENDPOINTS, object("shop", "cart", "{\"subsets\":[{\"notReadyAddresses\":[{\"ip\":"
        + "\"10.244.0.6\"}],\"ports\":[{\"port\":8443,\"protocol\":\"TCP\"}]}]}"));
    api.put(ResourceTypes.PODS, pod("shop", "cart-1", "cart", "{"
        + "\"spec\":{\"containers\":[{\"name\":\"cart\"}]},\"status\":{\"phase\":\"Pending\",\"podIP\":"
        + "\"10.244.0.6\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"ContainersNotReady\","
        + "\"message\":\"containers with unready status: [cart]\"}],\"containerStatuses\":[{\"name\":\"cart\","
        + "\"ready\":false,\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\",\"message\":"
        + "\"Back-off pulling image \\\"<script>alert(1)</script>\\\"\"}}}]}}"));
    // a service selecting nothing, and an ExternalName
    api.put(ResourceTypes.SERVICES, object("shop", "orphan", "{\"spec\":{\"clusterIP\":\"None\","
        + "\"selector\":{\"app\":\"gone\",\"tier\":\"db\"},\"ports\":[{\"name\":\"pg\",\"port\":5432}]}}"));
    api.put(ResourceTypes.SERVICES, object("shop", "upstream", "{\"spec\":{\"type\":\"ExternalName\","
        + "\"externalName\":\"db.example.com\"}}"));
    Informer<Service> services = informers.informer(Kinds.SERVICES);
    Informer<Endpoints> endpoints = informers.informer(Kinds.ENDPOINTS);
    Informer<Pod> pods = informers.informer(Kinds.PODS);
    for (Informer<?> informer : List.of(services, endpoints, pods)) {
      informer.start();
      assertThat(informer.waitForSync(30, TimeUnit.SECONDS)).isTrue();
    }
    page = new ClusterFrontPage("cluster.local", services, endpoints, pods);
  }

  @AfterEach
  void tearDown() {
    informers.close();
  }

  /** A pod labelled app=APP. */
  private static ObjectNode pod(String namespace, String name, String app, String json) {
    ObjectNode pod = object(namespace, name, json);
    ((ObjectNode) pod.get("metadata")).putObject("labels").put("app", app);
    return pod;
  }

  private StatusSection section(String title) {
    return page.sections().stream().filter(section -> section.title().equals(title)).findFirst().orElseThrow();
  }

  @Test
  void listsEveryServiceWithItsTcpPortsAsLinksByNameAndWhyItIsNotReady() {
    assertThat(section("Services").entries()).containsExactly(
        StatusEntry.ready("default/web  ClusterIP 10.96.0.20",
            List.of(new StatusLink("80/TCP http", "http://web.default.svc.cluster.local:80/"))),
        StatusEntry.notReady("shop/cart  NodePort 10.96.0.30",
            List.of(new StatusLink("443/TCP", "https://cart.shop.svc.cluster.local:443/")),
            "no ready endpoints: cart-1: Pending, Ready False: ContainersNotReady (containers with unready "
                + "status: [cart]), container cart waiting: ImagePullBackOff (Back-off pulling image "
                + "\"<script>alert(1)</script>\")"),
        StatusEntry.notReady("shop/orphan  ClusterIP headless",
            List.of(new StatusLink("5432/TCP pg", "http://orphan.shop.svc.cluster.local:5432/")),
            "no ready endpoints: no pod matches the selector app=gone,tier=db"),
        StatusEntry.text("shop/upstream  ExternalName db.example.com"));
  }

  @Test
  void listsEveryPodWithItsContainerPortsAsLinksAndWhyItIsNotReady() {
    assertThat(section("Pods").entries()).containsExactly(
        StatusEntry.ready("default/web-1  Running 10.244.0.5", List.of(
            new StatusLink("8080/TCP http", "http://web-1.default.pod.cluster.local:8080/"),
            new StatusLink("8443/TCP https", "https://web-1.default.pod.cluster.local:8443/"))),
        new StatusEntry("shop/cart-1  Pending 10.244.0.6", List.of(), Optional.of("Pending, Ready False: "
            + "ContainersNotReady (containers with unready status: [cart]), container cart waiting: "
            + "ImagePullBackOff (Back-off pulling image \"<script>alert(1)</script>\")")));
  }

  @Test
  void followsTheClusterAndNamesWhatChanged() {
    // the pod's readiness probe starts failing: it leaves the endpoints, and the service says why
    api.put(ResourceTypes.PODS, pod("default", "web-1", "web", "{"
        + "\"spec\":{\"containers\":[{\"name\":\"web\"}]},\"status\":{\"phase\":\"Running\",\"podIP\":"
        + "\"10.244.0.5\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":"
        + "\"ContainersNotReady\"}],\"containerStatuses\":[{\"name\":\"web\",\"ready\":false,\"state\":"
        + "{\"running\":{}}}]}}"));
    api.put(ResourceTypes.ENDPOINTS, object("default", "web", "{\"subsets\":[{\"notReadyAddresses\":[{\"ip\":"
        + "\"10.244.0.5\"}],\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}]}"));
    Eventually.assertThat(() -> assertThat(section("Services").entries().get(0).problem()).contains(
        "no ready endpoints: web-1: Ready False: ContainersNotReady, container web running, not ready"));
    api.delete(ResourceTypes.SERVICES, "shop", "upstream");
    Eventually.assertThat(() -> assertThat(section("Services").entries()).hasSize(3));
  }

  @Test
  void theRenderedPageEscapesWhatTheClusterSays() {
    String html = StatusPage.render(new StatusPage.Model("minicluster node-1", "127.0.0.1", 1080, List.of(),
        List.of(), List.of(), false, new GatewayMetrics().snapshot(), page.sections()));
    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("<h2>Services</h2>", "<h2>Pods</h2>")
        .contains("<li>default/web  ClusterIP 10.96.0.20 <a href=\"http://web.default.svc.cluster.local:80/\">"
            + "80/TCP http</a></li>")
        .contains("<li class=\"not-ready\">shop/cart  NodePort 10.96.0.30 <a href=\""
            + "https://cart.shop.svc.cluster.local:443/\">443/TCP</a> &mdash; <em>not ready:</em> no ready "
            + "endpoints: cart-1: Pending");
  }
}
