package io.minicluster.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.agent.runtime.RuntimeLabels;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DockerEngineTest {
  private static DockerEngine.ContainerInfo sandbox(String id, String podUid, String network) {
    return new DockerEngine.ContainerInfo(id, "mc_POD_" + id, Map.of(RuntimeLabels.TYPE, RuntimeLabels.TYPE_SANDBOX,
        RuntimeLabels.POD_UID, podUid), network == null ? Set.of() : Set.of(network));
  }

  private static DockerEngine.ContainerInfo container(String id, String podUid, String sandbox) {
    return new DockerEngine.ContainerInfo(id, "mc_app_" + id, Map.of(RuntimeLabels.TYPE,
        RuntimeLabels.TYPE_CONTAINER, RuntimeLabels.POD_UID, podUid, RuntimeLabels.SANDBOX_ID, sandbox), Set.of());
  }

  private final List<DockerEngine.ContainerInfo> all = List.of(
      sandbox("s1", "u1", "minicluster-test"), container("c1", "u1", "s1"),
      sandbox("s2", "u2", "minicluster"), container("c2", "u2", "s2"),
      sandbox("s3", "u3", null), container("c3", "u3", "s3"),
      container("c4", "u4", "gone"));

  @Test
  void onTheDefaultNetworkEveryMiniclusterContainerIsTheInstallations() {
    assertThat(DockerEngine.installation(all, "minicluster", Set.of())).isEqualTo(all);
  }

  @Test
  void onAnotherNetworkOnlyItsSandboxesTheirContainersAndTheDataDirectorysPods() {
    assertThat(DockerEngine.installation(all, "minicluster-test", Set.of("u3")))
        .extracting(DockerEngine.ContainerInfo::id).containsExactly("s1", "c1", "s3", "c3");
    assertThat(DockerEngine.installation(all, "minicluster-test", Set.of()))
        .extracting(DockerEngine.ContainerInfo::id).containsExactly("s1", "c1");
    assertThat(DockerEngine.installation(all, "elsewhere", Set.of())).isEmpty();
  }
}
