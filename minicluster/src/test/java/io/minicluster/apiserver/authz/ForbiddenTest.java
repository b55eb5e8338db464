package io.minicluster.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.ApiException;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForbiddenTest {
  private static final UserInfo SA = new UserInfo("system:serviceaccount:default:default",
      List.of("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"));

  @Test
  void namespacedResourceAsTheApiserverWritesIt() {
    ApiException e = Forbidden.of(Attributes.resource(SA, "list", "", "pods", "", "default", ""), "");
    assertThat(Json.string(e.toStatus())).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"pods is forbidden: User \\\"system:serviceaccount:default:default\\\" "
        + "cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\","
        + "\"reason\":\"Forbidden\",\"details\":{\"kind\":\"pods\"},\"code\":403}");
  }

  @Test
  void namedClusterResourceWithSubresourceAndReason() {
    ApiException e = Forbidden.of(Attributes.resource(SA, "update", "apps", "deployments", "scale", "", "web"),
        "RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found");
    assertThat(e.getMessage()).isEqualTo("deployments.apps \"web\" is forbidden: User "
        + "\"system:serviceaccount:default:default\" cannot update resource \"deployments/scale\" in API group "
        + "\"apps\" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found");
    assertThat(Json.string(e.toStatus().get("details")))
        .isEqualTo("{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"}");
  }

  @Test
  void nonResourcePathHasEmptyDetails() {
    ApiException e = Forbidden.of(Attributes.nonResource(SA, "get", "/metrics"), "");
    assertThat(e.getMessage())
        .isEqualTo("forbidden: User \"system:serviceaccount:default:default\" cannot get path \"/metrics\"");
    assertThat(Json.string(e.toStatus().get("details"))).isEqualTo("{}");
  }
}
