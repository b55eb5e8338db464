package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.AdmissionRequest.Operation;
import io.minicluster.registry.Requester;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyNotEnforcedTest {
  @Test
  void writesOfPoliciesAndBindingsWarnThatTheyAreNotEnforced() {
    List<String> warnings = new ArrayList<>();
    Requester requester = new Requester("admin", "", List.of("system:masters"), Map.of(), warnings::add);
    PolicyNotEnforced plugin = new PolicyNotEnforced();

    plugin.validate(new AdmissionRequest(Operation.CREATE, ResourceTypes.VALIDATING_ADMISSION_POLICIES, "", "",
        "replicas", Json.object(), null, false, requester));
    plugin.validate(new AdmissionRequest(Operation.UPDATE, ResourceTypes.VALIDATING_ADMISSION_POLICY_BINDINGS, "", "",
        "replicas-binding", Json.object(), Json.object(), false, requester));
    plugin.validate(new AdmissionRequest(Operation.CREATE, ResourceTypes.CONFIG_MAPS, "", "default", "c",
        Json.object(), null, false, requester));
    plugin.validate(new AdmissionRequest(Operation.DELETE, ResourceTypes.VALIDATING_ADMISSION_POLICIES, "", "",
        "replicas", null, Json.object(), false, requester));

    assertThat(warnings).containsExactly(
        "ValidatingAdmissionPolicy \"replicas\" is stored but not enforced: minicluster does not evaluate CEL "
            + "expressions",
        "ValidatingAdmissionPolicyBinding \"replicas-binding\" is stored but not enforced: minicluster does not "
            + "evaluate CEL expressions");
  }
}
