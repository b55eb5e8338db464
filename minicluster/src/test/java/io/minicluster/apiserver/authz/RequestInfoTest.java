package io.minicluster.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.apiserver.auth.UserInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestInfoTest {
  private static final UserInfo USER = new UserInfo("u", List.of());

  private static Attributes of(String method, String path, Map<String, List<String>> query) {
    return RequestInfo.of(USER, method, path, query);
  }

  private static Attributes of(String method, String path) {
    return of(method, path, Map.of());
  }

  @Test
  void verbsFromTheMethodAndTheShapeOfThePath() {
    assertThat(of("GET", "/api/v1/namespaces/default/pods").verb()).isEqualTo("list");
    assertThat(of("GET", "/api/v1/namespaces/default/pods", Map.of("watch", List.of("true"))).verb())
        .isEqualTo("watch");
    assertThat(of("GET", "/api/v1/namespaces/default/pods/p").verb()).isEqualTo("get");
    assertThat(of("HEAD", "/api/v1/namespaces/default/pods/p").verb()).isEqualTo("get");
    assertThat(of("POST", "/api/v1/namespaces/default/pods").verb()).isEqualTo("create");
    assertThat(of("PUT", "/api/v1/namespaces/default/pods/p").verb()).isEqualTo("update");
    assertThat(of("PATCH", "/api/v1/namespaces/default/pods/p").verb()).isEqualTo("patch");
    assertThat(of("DELETE", "/api/v1/namespaces/default/pods/p").verb()).isEqualTo("delete");
    assertThat(of("DELETE", "/api/v1/namespaces/default/pods").verb()).isEqualTo("deletecollection");
  }

  @Test
  void resourceAttributes() {
    Attributes scale = of("PUT", "/apis/apps/v1/namespaces/web/deployments/front/scale");
    assertThat(scale).isEqualTo(new Attributes(USER, "update", true, "apps", "v1", "deployments", "scale", "web",
        "front", "/apis/apps/v1/namespaces/web/deployments/front/scale"));
    Attributes nodes = of("GET", "/api/v1/nodes/n1");
    assertThat(List.of(nodes.resource(), nodes.name(), nodes.namespace(), nodes.apiGroup()))
        .containsExactly("nodes", "n1", "", "");
  }

  @Test
  void aNamespaceIsItsOwnNamespaceAndItsStatusASubresource() {
    Attributes namespace = of("GET", "/api/v1/namespaces/team");
    assertThat(List.of(namespace.resource(), namespace.name(), namespace.namespace(), namespace.verb()))
        .containsExactly("namespaces", "team", "team", "get");
    Attributes status = of("PUT", "/api/v1/namespaces/team/status");
    assertThat(List.of(status.resource(), status.name(), status.subresource(), status.namespace()))
        .containsExactly("namespaces", "team", "status", "team");
    assertThat(of("GET", "/api/v1/namespaces").verb()).isEqualTo("list");
  }

  @Test
  void aListOfOneNameByFieldSelectorNamesIt() {
    Attributes list = of("GET", "/api/v1/namespaces/default/secrets",
        Map.of("fieldSelector", List.of("metadata.name=token"), "watch", List.of("1")));
    assertThat(list.verb()).isEqualTo("watch");
    assertThat(list.name()).isEqualTo("token");
    assertThat(of("GET", "/api/v1/namespaces/default/secrets",
        Map.of("fieldSelector", List.of("metadata.name=a,type=x"))).name()).isEmpty();
  }

  @Test
  void discoveryAndOtherPathsAreNonResourceRequests() {
    for (String path : List.of("/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/healthz", "/version",
        "/openapi/v3/apis/apps/v1", "/metrics")) {
      Attributes attributes = of("GET", path);
      assertThat(attributes.resourceRequest()).as(path).isFalse();
      assertThat(attributes.verb()).isEqualTo("get");
      assertThat(attributes.path()).isEqualTo(path);
    }
    assertThat(of("POST", "/logs").verb()).isEqualTo("post");
  }

  @Test
  void proxyAndWatchPrefixesGiveTheirVerb() {
    Attributes watch = of("GET", "/api/v1/watch/namespaces/default/pods");
    assertThat(List.of(watch.verb(), watch.resource(), watch.namespace())).containsExactly("watch", "pods", "default");
  }
}
