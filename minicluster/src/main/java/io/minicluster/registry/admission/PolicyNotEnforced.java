package io.minicluster.registry.admission;

import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.Admission;
import io.minicluster.registry.AdmissionRequest;

/**
 * Says, as a warning on each write of a ValidatingAdmissionPolicy or its binding, that this server stores them but
 * does not evaluate their CEL expressions: no request is denied or warned by a policy.
 */
public final class PolicyNotEnforced implements Admission {
  @Override
  public void validate(AdmissionRequest request) {
    boolean policy = request.type() == ResourceTypes.VALIDATING_ADMISSION_POLICIES;
    if (request.operation() == AdmissionRequest.Operation.DELETE || !request.subresource().isEmpty()
        || !policy && request.type() != ResourceTypes.VALIDATING_ADMISSION_POLICY_BINDINGS) {
      return;
    }
    request.requester().warnings().accept((policy ? "ValidatingAdmissionPolicy" : "ValidatingAdmissionPolicyBinding")
        + " \"" + request.name() + "\" is stored but not enforced: minicluster does not evaluate CEL expressions");
  }
}
