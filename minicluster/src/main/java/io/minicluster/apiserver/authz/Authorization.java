package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

/**
 * What the resource endpoints ask the authorizer beyond the request's own check: the access reviews, and escalation
 * prevention on RBAC writes.
 */
public record Authorization(AccessReviews reviews, Escalation escalation) {
  public Authorization {
    requireNonNull(reviews, "reviews is null");
    requireNonNull(escalation, "escalation is null");
  }

  /** Both over one authorizer. */
  public static Authorization of(RbacAuthorizer authorizer) {
    return new Authorization(new AccessReviews(authorizer), new Escalation(authorizer));
  }
}
