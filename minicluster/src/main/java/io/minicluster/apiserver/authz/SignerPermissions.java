package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.auth.UserInfo;

/**
 * The CertificateApproval admission plugin: approving or denying a CertificateSigningRequest (its approval
 * subresource) needs the {@code approve} verb on the {@code signers} resource of certificates.k8s.io, named by the
 * request's signerName or by its domain's wildcard ({@code kubernetes.io/*}), as certificates.IsAuthorizedForSignerName
 * asks. system:masters may always.
 */
public final class SignerPermissions {
  private static final String GROUP = "certificates.k8s.io";

  private final RbacAuthorizer authorizer;

  public SignerPermissions(RbacAuthorizer authorizer) {
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
  }

  /**
   * Checks that a user may approve (or deny) requests for a signer.
   *
   * @throws ApiException 403 with the plugin's message when it may not
   */
  public void checkApprove(String requestName, String signerName, UserInfo user) {
    requireNonNull(requestName, "requestName is null");
    requireNonNull(signerName, "signerName is null");
    if (user == null || allowed(user, "approve", signerName)) {
      return;
    }
    throw ApiException.forbidden(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS, requestName,
        "user not permitted to approve requests with signerName \"" + signerName + "\"");
  }

  private boolean allowed(UserInfo user, String verb, String signerName) {
    if (authorizer.authorize(Attributes.resource(user, verb, GROUP, "signers", "", "", signerName)).allowed()) {
      return true;
    }
    int slash = signerName.indexOf('/');
    return slash > 0 && authorizer.authorize(Attributes.resource(user, verb, GROUP, "signers", "", "",
        signerName.substring(0, slash) + "/*")).allowed();
  }
}
