package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

/**
 * What the resource endpoints ask the authorizer beyond the request's own check: the access reviews, escalation
 * prevention on RBAC writes, and the signer permission of CSR approvals.
 */
public record Authorization(AccessReviews reviews, Escalation escalation, SignerPermissions signers) {
  public Authorization {
    requireNonNull(reviews, "reviews is null");
    requireNonNull(escalation, "escalation is null");
    requireNonNull(signers, "signers is null");
  }

  /** All over one authorizer. */
  public static Authorization of(RbacAuthorizer authorizer) {
    return new Authorization(new AccessReviews(authorizer), new Escalation(authorizer),
        new SignerPermissions(authorizer));
  }
}
