package io.minicluster.apiserver.authz;

import static io.minicluster.apiserver.authz.FakePolicy.resources;
import static io.minicluster.apiserver.authz.FakePolicy.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import io.minicluster.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignerPermissionsTest {
  private static final UserInfo BOB = new UserInfo("bob", List.of(UserInfo.AUTHENTICATED_GROUP));
  private static final UserInfo ANN = new UserInfo("ann", List.of(UserInfo.AUTHENTICATED_GROUP));
  private static final UserInfo ADMIN = new UserInfo("admin", List.of(RbacAuthorizer.MASTERS));

  @Test
  void approvingNeedsTheApproveVerbOnTheSignerOrItsDomainsWildcard() {
    SignerPermissions signers = new SignerPermissions(new RbacAuthorizer(new FakePolicy()
        .clusterRole("client-approver", resources(List.of("approve"), List.of("certificates.k8s.io"),
            List.of("signers"), "kubernetes.io/kube-apiserver-client"))
        .clusterRole("any-kubernetes-signer", resources(List.of("approve"), List.of("certificates.k8s.io"),
            List.of("signers"), "kubernetes.io/*"))
        .bind(null, "bob-approves", "ClusterRole", "client-approver", user("bob"))
        .bind(null, "ann-approves", "ClusterRole", "any-kubernetes-signer", user("ann"))));

    assertThatCode(() -> signers.checkApprove("jane", "kubernetes.io/kube-apiserver-client", BOB))
        .doesNotThrowAnyException();
    assertThatCode(() -> signers.checkApprove("n1", "kubernetes.io/kube-apiserver-client-kubelet", ANN))
        .doesNotThrowAnyException();
    assertThatCode(() -> signers.checkApprove("x", "example.com/signer", ADMIN)).doesNotThrowAnyException();
    assertThatThrownBy(() -> signers.checkApprove("n1", "kubernetes.io/kube-apiserver-client-kubelet", BOB))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessage("certificatesigningrequests.certificates.k8s.io \"n1\" is forbidden: user not permitted to "
            + "approve requests with signerName \"kubernetes.io/kube-apiserver-client-kubelet\"");
  }
}
