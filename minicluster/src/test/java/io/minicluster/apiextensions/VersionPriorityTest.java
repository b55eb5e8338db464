package io.minicluster.apiextensions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionPriorityTest {
  @Test
  void sortsAsKubernetesDoes() {
    // the example of the CustomResourceDefinition versioning documentation
    List<String> versions = new ArrayList<>(List.of("v11alpha2", "foo10", "v10", "v2", "v1", "v12alpha1", "foo1",
        "v10beta3", "v3beta1", "v11beta2"));
    versions.sort(VersionPriority.COMPARATOR);
    assertThat(versions).containsExactly("v10", "v2", "v1", "v11beta2", "v10beta3", "v3beta1", "v12alpha1",
        "v11alpha2", "foo1", "foo10");
  }
}
