package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Capability;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeMappingTest {
  @Test
  void imageReferencesNormalizeLikeDocker() {
    assertThat(ImageReference.parse("mongo").normalized()).isEqualTo("docker.io/library/mongo:latest");
    assertThat(ImageReference.sameImage("mongo", "mongo:latest")).isTrue();
    assertThat(ImageReference.sameImage("mongo:latest", "docker.io/library/mongo:latest")).isTrue();
    assertThat(ImageReference.sameImage("index.docker.io/library/mongo", "mongo")).isTrue();
    assertThat(ImageReference.sameImage("mongo:4", "mongo")).isFalse();
    assertThat(ImageReference.parse("meteorhacks/telescope").familiar()).isEqualTo("meteorhacks/telescope:latest");
    ImageReference registry = ImageReference.parse("localhost:5000/team/app:1.2");
    assertThat(registry.domain()).isEqualTo("localhost:5000");
    assertThat(registry.path()).isEqualTo("team/app");
    assertThat(registry.familiar()).isEqualTo("localhost:5000/team/app:1.2");
    assertThat(ImageReference.parse("registry.k8s.io/pause:3.10").familiarRepository()).isEqualTo("registry.k8s.io/pause");
    String digest = "sha256:" + "a".repeat(64);
    ImageReference pinned = ImageReference.parse("nginx@" + digest);
    assertThat(pinned.tag()).isEmpty();
    assertThat(pinned.familiar()).isEqualTo("nginx@" + digest);
    assertThatThrownBy(() -> ImageReference.parse("Mongo")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageReference.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageReference.parse("mongo:")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cpuAndMemoryMapLikeTheKubelet() {
    assertThat(ResourceSpec.NONE.cpuShares()).isEqualTo(2);
    assertThat(ResourceSpec.NONE.cpuQuota()).isZero();
    assertThat(new ResourceSpec(1, 0, 0, 0).cpuShares()).isEqualTo(2);
    assertThat(new ResourceSpec(250, 0, 0, 0).cpuShares()).isEqualTo(256);
    assertThat(new ResourceSpec(1000, 0, 0, 0).cpuShares()).isEqualTo(1024);
    assertThat(new ResourceSpec(0, 500, 0, 0).cpuQuota()).isEqualTo(50_000);
    assertThat(new ResourceSpec(0, 5, 0, 0).cpuQuota()).isEqualTo(1000);
    assertThat(new ResourceSpec(0, 2000, 0, 0).cpuQuota()).isEqualTo(200_000);
    assertThatThrownBy(() -> new ResourceSpec(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labelsAndNamesIdentifyPodAndContainer() {
    SandboxSpec sandbox = SandboxSpec.builder("u1", "web", "default").attempt(2).configHash("abc").build();
    assertThat(RuntimeLabels.forSandbox(sandbox)).containsEntry(RuntimeLabels.TYPE, "sandbox")
        .containsEntry(RuntimeLabels.POD_UID, "u1").containsEntry(RuntimeLabels.POD_NAME, "web")
        .containsEntry(RuntimeLabels.POD_NAMESPACE, "default").containsEntry(RuntimeLabels.CONFIG_HASH, "abc");
    assertThat(RuntimeLabels.sandboxName(sandbox)).isEqualTo("mc_POD_web_default_u1_2");
    assertThat(sandbox.effectiveHostname()).isEqualTo("web");
    ContainerSpec container = ContainerSpec.builder("u1", "web", "default", "app").sandboxId("s1").image("mongo")
        .restartCount(4).configHash("h").extraLabels(Map.of("team", "x")).build();
    Map<String, String> labels = RuntimeLabels.forContainer(container);
    assertThat(labels).containsEntry(RuntimeLabels.TYPE, "container").containsEntry(RuntimeLabels.CONTAINER_NAME, "app")
        .containsEntry(RuntimeLabels.RESTART_COUNT, "4").containsEntry(RuntimeLabels.SANDBOX_ID, "s1")
        .containsEntry("team", "x");
    assertThat(RuntimeLabels.restartCount(labels)).isEqualTo(4);
    assertThat(RuntimeLabels.restartCount(Map.of(RuntimeLabels.RESTART_COUNT, "x"))).isZero();
    assertThat(RuntimeLabels.containerName(container)).isEqualTo("mc_app_web_default_u1_4");
    assertThatThrownBy(() -> ContainerSpec.builder("u1", "web", "default", "app").sandboxId("s1").image("mongo")
        .extraLabels(Map.of("io.minicluster.pod.uid", "forged")).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void securityCidrsTimesAndEngineMessages() {
    assertThat(SecuritySpec.userOf(null, 5L)).isEmpty();
    assertThat(SecuritySpec.userOf(1000L, null)).isEqualTo("1000");
    assertThat(SecuritySpec.userOf(1000L, 3000L)).isEqualTo("1000:3000");
    assertThat(DockerContainers.capabilities(List.of("NET_ADMIN", "cap_sys_time")))
        .containsExactly(Capability.NET_ADMIN, Capability.SYS_TIME);
    assertThatThrownBy(() -> DockerContainers.capabilities(List.of("FLY"))).isInstanceOf(ContainerRuntimeException.class);
    assertThat(DockerContainers.tmpfsOptions(MountSpec.tmpfs("/cache", 1024))).isEqualTo("rw,size=1024");
    Ipv4Cidr cidr = Ipv4Cidr.parse("10.244.0.0/16");
    assertThat(cidr.gateway()).isEqualTo("10.244.0.1");
    assertThat(cidr.contains("10.244.3.7")).isTrue();
    assertThat(cidr.contains("10.245.0.1")).isFalse();
    assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.1/16")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0")).isInstanceOf(IllegalArgumentException.class);
    assertThat(EngineClient.parseTime("0001-01-01T00:00:00Z")).isNull();
    assertThat(EngineClient.parseTime("2024-05-01T10:00:00.123456789Z"))
        .isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
    assertThat(EngineClient.engineMessage(new RuntimeException(
        "Status 404: {\"message\":\"pull access denied for x\"}\n"))).isEqualTo("pull access denied for x");
    assertThat(new EngineInfo("20.10.24", "1.41", 2, 1, "k", "os", "linux", "aarch64", "h", "/d")
        .kubernetesArchitecture()).isEqualTo("arm64");
  }
}
