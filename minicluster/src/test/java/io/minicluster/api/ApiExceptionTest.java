package io.minicluster.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiExceptionTest {
  @Test
  void anInvalidObjectIsNamedByItsKindQualifiedByItsGroupAsTheApiserverDoes() {
    ApiException deployment = ApiException.invalid(ResourceTypes.DEPLOYMENTS, "web",
        List.of(FieldError.required("spec.selector", "")));
    assertThat(deployment.getMessage()).isEqualTo("Deployment.apps \"web\" is invalid: spec.selector: Required value");
    assertThat(deployment.code()).isEqualTo(422);

    // the core group has no name: the bare kind
    ApiException pod = ApiException.invalid(ResourceTypes.PODS, "p",
        List.of(FieldError.required("spec.containers", ""), FieldError.required("metadata.name", "")));
    assertThat(pod.getMessage())
        .isEqualTo("Pod \"p\" is invalid: [spec.containers: Required value, metadata.name: Required value]");
  }
}
