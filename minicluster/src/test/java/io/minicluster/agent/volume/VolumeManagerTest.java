package io.minicluster.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.agent.ConfigException;
import io.minicluster.agent.EnvironmentResolver;
import io.minicluster.agent.runtime.MountSpec;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Pod;
import io.minicluster.client.FakeClient;
import io.minicluster.json.Json;
import io.minicluster.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {
  @TempDir
  Path directory;

  private final FakeClient client = new FakeClient();
  private final VolumeManager volumes = new VolumeManager(client, new EnvironmentResolver(client,
      new EnvironmentResolver.NodeResources(2000, 1L << 30)));

  private static Pod pod(String json) {
    return Pod.from(Json.parseObject(json));
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void configMapSecretDownwardAndProjectedVolumesHoldTheirFiles() throws Exception {
    client.seed(ResourceTypes.CONFIG_MAPS, Json.parseObject("""
        {"metadata":{"name":"cfg","namespace":"ns"},"data":{"a.conf":"A","b.conf":"B"},
         "binaryData":{"blob":"AAEC"}}"""));
    client.seed(ResourceTypes.SECRETS, Json.parseObject("""
        {"metadata":{"name":"sec","namespace":"ns"},"data":{"password":"czNjcjN0"}}"""));
    client.seed(ResourceTypes.SERVICE_ACCOUNTS, Json.parseObject("""
        {"metadata":{"name":"default","namespace":"ns"}}"""));
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns","labels":{"app":"web"}},"spec":{
          "containers":[{"name":"app","resources":{"limits":{"memory":"32Mi"}}}],
          "volumes":[
            {"name":"cfg","configMap":{"name":"cfg","items":[{"key":"a.conf","path":"conf/a","mode":384}]}},
            {"name":"all","configMap":{"name":"cfg","defaultMode":256}},
            {"name":"sec","secret":{"secretName":"sec"}},
            {"name":"down","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}},
              {"path":"mem","resourceFieldRef":{"containerName":"app","resource":"limits.memory","divisor":"1Mi"}}]}},
            {"name":"proj","projected":{"sources":[{"configMap":{"name":"cfg","items":[{"key":"b.conf"}]}},
              {"secret":{"name":"sec"}},{"downwardAPI":{"items":[{"path":"name",
                "fieldRef":{"fieldPath":"metadata.name"}}]}},{"serviceAccountToken":{"path":"token"}},
              {"configMap":{"name":"absent","optional":true}}]}}]}}""");

    Map<String, VolumeManager.Prepared> prepared = volumes.prepare(pod, directory);

    Path cfg = prepared.get("cfg").hostPath();
    assertThat(cfg).isEqualTo(directory.resolve("volumes/kubernetes.io~configmap/cfg"));
    assertThat(prepared.get("cfg").readOnly()).isTrue();
    assertThat(read(cfg.resolve("conf/a"))).isEqualTo("A");
    assertThat(Files.exists(cfg.resolve("b.conf"))).isFalse();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cfg.resolve("conf/a"))))
        .isEqualTo("rw-------");
    Path all = prepared.get("all").hostPath();
    assertThat(read(all.resolve("b.conf"))).isEqualTo("B");
    assertThat(Files.readAllBytes(all.resolve("blob"))).containsExactly(0, 1, 2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(all.resolve("b.conf"))))
        .isEqualTo("r--------");
    assertThat(read(prepared.get("sec").hostPath().resolve("password"))).isEqualTo("s3cr3t");
    Path down = prepared.get("down").hostPath();
    assertThat(read(down.resolve("labels"))).isEqualTo("app=\"web\"");
    assertThat(read(down.resolve("mem"))).isEqualTo("32");
    Path proj = prepared.get("proj").hostPath();
    assertThat(proj).isEqualTo(directory.resolve("volumes/kubernetes.io~projected/proj"));
    assertThat(read(proj.resolve("b.conf"))).isEqualTo("B");
    assertThat(read(proj.resolve("password"))).isEqualTo("s3cr3t");
    assertThat(read(proj.resolve("name"))).isEqualTo("p");
    assertThat(read(proj.resolve("token"))).startsWith("fake-token-ns-default-");
  }

  @Test
  void aProjectedTokenIsBoundToThePodAndRenewedAtEightyPercentOfItsLifetime() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    FakeClient api = new FakeClient(clock);
    VolumeManager manager = new VolumeManager(api, new EnvironmentResolver(api,
        new EnvironmentResolver.NodeResources(2000, 1L << 30)), clock);
    api.seed(ResourceTypes.SERVICE_ACCOUNTS, Json.parseObject("""
        {"metadata":{"name":"builder","namespace":"ns"}}"""));
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns","uid":"pod-uid"},"spec":{"serviceAccountName":"builder",
          "containers":[{"name":"app"}],"volumes":[{"name":"kube-api-access-x","projected":{"defaultMode":420,
            "sources":[{"serviceAccountToken":{"expirationSeconds":3600,"path":"token"}}]}}]}}""");

    Path token = manager.prepare(pod, directory).get("kube-api-access-x").hostPath().resolve("token");
    String first = read(token);
    clock.advance(Duration.ofMinutes(47));
    manager.prepare(pod, directory);
    String unchanged = read(token);
    Duration untilRefresh = manager.untilTokenRefresh("pod-uid").orElseThrow();
    clock.advance(Duration.ofMinutes(1));
    manager.prepare(pod, directory);

    assertThat(first).startsWith("fake-token-ns-builder-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-r--r--");
    assertThat(unchanged).isEqualTo(first);
    assertThat(untilRefresh).isEqualTo(Duration.ofMinutes(1));
    assertThat(read(token)).startsWith("fake-token-ns-builder-").isNotEqualTo(first);
    assertThat(api.calls()).filteredOn(call -> call.startsWith("token")).hasSize(2);
    manager.forget("pod-uid");
    assertThat(manager.untilTokenRefresh("pod-uid")).isEmpty();
  }

  @Test
  void aMissingSourceOrKeyFailsTheVolume() {
    client.seed(ResourceTypes.CONFIG_MAPS, Json.parseObject("""
        {"metadata":{"name":"cfg","namespace":"ns"},"data":{"a":"A"}}"""));
    Pod missingMap = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"app"}],
          "volumes":[{"name":"v","secret":{"secretName":"nope"}}]}}""");
    Pod missingKey = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"app"}],
          "volumes":[{"name":"v","configMap":{"name":"cfg","items":[{"key":"b","path":"b"}]}}]}}""");

    assertThatThrownBy(() -> volumes.prepare(missingMap, directory)).isInstanceOf(VolumeException.class)
        .hasMessageContaining("secret \"nope\" not found");
    assertThatThrownBy(() -> volumes.prepare(missingKey, directory)).isInstanceOf(VolumeException.class)
        .hasMessageContaining("configured to use key b of configmap cfg but it does not exist");
  }

  @Test
  void aClaimMountsItsBoundVolumeAndThePodWaitsUntilItIsBound() throws Exception {
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"app"}],
          "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"c"}},
            {"name":"ro","persistentVolumeClaim":{"claimName":"c","readOnly":true}}]}}""");
    assertThatThrownBy(() -> volumes.prepare(pod, directory)).isInstanceOfSatisfying(VolumeException.class,
        e -> assertThat(e.eventMessage()).isEqualTo("Unable to attach or mount volumes: unmounted volumes=[data], "
            + "unattached volumes=[data], failed to process volumes=[data]: error processing PVC ns/c: failed to "
            + "fetch PVC from API server: persistentvolumeclaims \"c\" not found"));

    client.seed(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, Json.parseObject("""
        {"metadata":{"name":"c","namespace":"ns"},"spec":{"accessModes":["ReadWriteOnce"]},
         "status":{"phase":"Pending"}}"""));
    assertThatThrownBy(() -> volumes.prepare(pod, directory)).isInstanceOfSatisfying(VolumeException.class,
        e -> assertThat(e.eventMessage()).endsWith("error processing PVC ns/c: PVC is not bound"));

    Path disk = directory.resolve("disk");
    client.modify(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, "ns", "c", claim -> {
      claim.with("spec").put("volumeName", "pv-1");
      return claim;
    });
    client.modifyStatus(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, "ns", "c", claim -> {
      claim.with("status").put("phase", "Bound");
      return claim;
    });
    client.seed(ResourceTypes.PERSISTENT_VOLUMES, Json.parseObject("{\"metadata\":{\"name\":\"pv-1\"},"
        + "\"spec\":{\"hostPath\":{\"path\":\"" + disk + "\",\"type\":\"DirectoryOrCreate\"}}}"));

    Map<String, VolumeManager.Prepared> prepared = volumes.prepare(pod, directory);

    assertThat(prepared.get("data")).isEqualTo(new VolumeManager.Prepared("data", disk, false, 0, false));
    assertThat(prepared.get("ro")).isEqualTo(new VolumeManager.Prepared("ro", disk, false, 0, true));
    assertThat(disk).isDirectory();
  }

  @Test
  void aMemoryEmptyDirOfOneContainerIsATmpfsAndHostPathsAreChecked() throws Exception {
    Path host = directory.resolve("host/dir");
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{
          "containers":[{"name":"app","volumeMounts":[{"name":"mem","mountPath":"/mem"},
            {"name":"shared","mountPath":"/shared"},{"name":"host","mountPath":"/host","subPath":"sub"}]},
            {"name":"side","volumeMounts":[{"name":"shared","mountPath":"/shared"}]}],
          "volumes":[{"name":"mem","emptyDir":{"medium":"Memory","sizeLimit":"16Mi"}},
            {"name":"shared","emptyDir":{"medium":"Memory"}},
            {"name":"host","hostPath":{"path":"%s","type":"DirectoryOrCreate"}}]}}""".formatted(host));

    Map<String, VolumeManager.Prepared> prepared = volumes.prepare(pod, directory);

    assertThat(prepared.get("mem").tmpfs()).isTrue();
    assertThat(prepared.get("mem").sizeBytes()).isEqualTo(16L << 20);
    assertThat(prepared.get("shared").tmpfs()).isFalse();
    assertThat(Files.isDirectory(host)).isTrue();
    assertThat(VolumeManager.mounts(pod.spec().containers().get(0), prepared)).containsExactly(
        new MountSpec(MountSpec.Kind.TMPFS, "", "/mem", false, 16L << 20),
        MountSpec.bind(prepared.get("shared").hostPath().toString(), "/shared", false),
        MountSpec.bind(host.resolve("sub").toRealPath().toString(), "/host", false));
  }

  @Test
  void mountsNameExistingVolumesAndStayInside() {
    Pod pod = pod("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[
          {"name":"app","volumeMounts":[{"name":"absent","mountPath":"/x"}]},
          {"name":"escape","volumeMounts":[{"name":"v","mountPath":"/x","subPath":"../etc"}]}]}}""");
    Map<String, VolumeManager.Prepared> prepared = Map.of("v",
        new VolumeManager.Prepared("v", directory, false, 0, false));

    assertThatThrownBy(() -> VolumeManager.mounts(pod.spec().containers().get(0), prepared))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cannot find volume \"absent\" to mount into container \"app\"");
    assertThatThrownBy(() -> VolumeManager.mounts(pod.spec().containers().get(1), prepared))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid subPath \"../etc\": must be a relative path inside the volume");
  }
}
