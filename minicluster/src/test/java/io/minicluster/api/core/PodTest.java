package io.minicluster.api.core;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.example;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTest {
  private final Pod pod = Pod.from(fixture("core/pod.json"));

  @Test
  void decodesTheContainerAsTheNodeAgentRunsIt() {
    Container web = pod.spec().container("web").orElseThrow();

    assertThat(web.image()).isEqualTo("nginx:1.27");
    assertThat(web.command()).containsExactly("nginx");
    assertThat(web.args()).containsExactly("-g", "daemon off;");
    assertThat(web.workingDir()).isEqualTo("/usr/share/nginx");
    assertThat(web.ports()).containsExactly(new ContainerPort("http", 0, 80, "TCP", ""),
        new ContainerPort("metrics", 19113, 9113, "TCP", "127.0.0.1"));
    assertThat(web.resources().limits()).isEqualTo(Map.of("cpu", Quantity.parse("500m"),
        "memory", Quantity.parse("128Mi")));
    assertThat(web.resources().requests().get("cpu").milliValue()).isEqualTo(250);
    assertThat(web.volumeMounts()).containsExactly(new VolumeMount("data", false, "/data", "", "", ""),
        new VolumeMount("config", true, "/etc/nginx/conf.d", "nginx.conf", "", ""));
    assertThat(web.terminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(web.terminationMessagePolicy()).isEqualTo("File");
    assertThat(web.imagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(web.stdin()).isTrue();
    assertThat(web.stdinOnce()).isFalse();
    assertThat(web.tty()).isTrue();
    assertThat(web.restartPolicy()).isEmpty();
  }

  @Test
  void decodesEnvironmentAndItsSources() {
    Container web = pod.spec().container("web").orElseThrow();

    assertThat(web.envFrom()).containsExactly(
        new EnvFromSource("CFG_", new ConfigMapEnvSource("web-config", true), null),
        new EnvFromSource("", null, new SecretEnvSource("web-creds", null)));
    assertThat(web.envFrom().get(0).configMapRef().isOptional()).isTrue();
    assertThat(web.envFrom().get(1).secretRef().isOptional()).isFalse();
    List<EnvVar> env = web.env();
    assertThat(env).extracting(EnvVar::name).containsExactly("GREETING", "POD_NAME", "MEM_LIMIT", "LEVEL", "PASSWORD");
    assertThat(env.get(0)).isEqualTo(new EnvVar("GREETING", "hello $(POD_NAME)", null));
    assertThat(env.get(1).valueFrom().fieldRef()).isEqualTo(new ObjectFieldSelector("v1", "metadata.name"));
    assertThat(env.get(2).valueFrom().resourceFieldRef())
        .isEqualTo(new ResourceFieldSelector("", "limits.memory", Quantity.parse("1Mi")));
    assertThat(env.get(3).valueFrom().configMapKeyRef())
        .isEqualTo(new ConfigMapKeySelector("web-config", "level", true));
    assertThat(env.get(4).valueFrom().secretKeyRef()).isEqualTo(new SecretKeySelector("web-creds", "password", null));
    assertThat(env.get(4).valueFrom().fieldRef()).isNull();
  }

  @Test
  void decodesProbesHooksAndSecurityContext() {
    Container web = pod.spec().container("web").orElseThrow();

    Probe liveness = web.livenessProbe();
    assertThat(liveness.httpGet()).isEqualTo(new HttpGetAction("/healthz", IntOrString.of("http"), "", "HTTP",
        List.of(new HttpHeader("X-Probe", "1"))));
    assertThat(liveness.exec()).isNull();
    assertThat(liveness.initialDelaySeconds()).isEqualTo(5);
    assertThat(liveness.timeoutSeconds()).isEqualTo(1);
    assertThat(liveness.periodSeconds()).isEqualTo(10);
    assertThat(liveness.successThreshold()).isEqualTo(1);
    assertThat(liveness.failureThreshold()).isEqualTo(3);
    assertThat(liveness.terminationGracePeriodSeconds()).isEqualTo(7L);
    assertThat(web.readinessProbe().tcpSocket()).isEqualTo(new TcpSocketAction(IntOrString.of(80), ""));
    assertThat(web.readinessProbe().successThreshold()).isEqualTo(2);
    assertThat(web.startupProbe().exec().command()).containsExactly("cat", "/tmp/started");
    assertThat(web.startupProbe().terminationGracePeriodSeconds()).isNull();
    assertThat(pod.spec().container("grpc").orElseThrow().readinessProbe().grpc())
        .isEqualTo(new GrpcAction(9090, "health"));
    assertThat(web.lifecycle().postStart().exec().command()).containsExactly("sh", "-c", "echo started > /tmp/started");
    assertThat(web.lifecycle().preStop().sleep()).isEqualTo(new SleepAction(2));
    assertThat(web.securityContext()).isEqualTo(new SecurityContext(
        new Capabilities(List.of("NET_BIND_SERVICE"), List.of("ALL")), false, 101L, 101L, null, true, false, null));
    assertThat(web.securityContext().isReadOnlyRootFilesystem()).isTrue();
    Container grpc = pod.spec().container("grpc").orElseThrow();
    assertThat(grpc.livenessProbe()).isNull();
    assertThat(grpc.lifecycle()).isNull();
    assertThat(grpc.securityContext()).isNull();
    assertThat(grpc.resources()).isSameAs(ResourceRequirements.EMPTY);
  }

  @Test
  void decodesInitContainers() {
    assertThat(pod.spec().initContainers()).extracting(Container::name).containsExactly("init-db", "log-shipper");
    assertThat(pod.spec().initContainers().get(1).restartPolicy()).isEqualTo("Always");
    assertThat(pod.spec().container("init-db").orElseThrow().command()).hasSize(3);
    assertThat(pod.spec().container("nothing")).isEmpty();
  }

  @Test
  void decodesEveryKindOfVolumeTheAgentSupports() {
    List<Volume> volumes = pod.spec().volumes();

    assertThat(volumes).extracting(Volume::name)
        .containsExactly("data", "config", "creds", "podinfo", "host-logs", "all-in-one", "claim");
    assertThat(volumes.get(0).emptyDir()).isEqualTo(new EmptyDirVolumeSource("Memory", Quantity.parse("64Mi")));
    assertThat(volumes.get(0).configMap()).isNull();
    assertThat(volumes.get(1).configMap()).isEqualTo(new ConfigMapVolumeSource("web-config",
        List.of(new KeyToPath("nginx.conf", "nginx.conf", 0444)), 0644, true));
    assertThat(volumes.get(2).secret()).isEqualTo(new SecretVolumeSource("web-creds", List.of(), 0400, null));
    assertThat(volumes.get(3).downwardAPI().items()).containsExactly(
        new DownwardAPIVolumeFile("labels", new ObjectFieldSelector("v1", "metadata.labels"), null, null),
        new DownwardAPIVolumeFile("cpu_limit", null, new ResourceFieldSelector("web", "limits.cpu",
            Quantity.parse("1m")), null));
    assertThat(volumes.get(3).downwardAPI().defaultMode()).isEqualTo(0644);
    assertThat(volumes.get(4).hostPath()).isEqualTo(new HostPathVolumeSource("/var/log", "Directory"));
    List<VolumeProjection> sources = volumes.get(5).projected().sources();
    assertThat(sources.get(0).configMap()).isEqualTo(new ConfigMapProjection("web-config", List.of(), null));
    assertThat(sources.get(1).secret().items()).containsExactly(new KeyToPath("token", "token", null));
    assertThat(sources.get(2).downwardAPI().items()).hasSize(1);
    assertThat(sources.get(3).serviceAccountToken())
        .isEqualTo(new ServiceAccountTokenProjection("api", 3600L, "sa-token"));
    assertThat(volumes.get(6).persistentVolumeClaim())
        .isEqualTo(new PersistentVolumeClaimVolumeSource("web-data", true));
  }

  @Test
  void decodesPodLevelSchedulingAndNetworkFields() {
    PodSpec spec = pod.spec();

    assertThat(spec.restartPolicy()).isEqualTo("Always");
    assertThat(spec.terminationGracePeriodSeconds()).isEqualTo(45L);
    assertThat(spec.activeDeadlineSeconds()).isEqualTo(3600L);
    assertThat(spec.dnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(spec.dnsConfig()).isEqualTo(new PodDNSConfig(List.of("10.0.0.10"), List.of("svc.example"),
        List.of(new PodDNSConfigOption("ndots", "2"), new PodDNSConfigOption("edns0", null))));
    assertThat(spec.nodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
    assertThat(spec.serviceAccountName()).isEqualTo("web");
    assertThat(spec.serviceAccount()).isEqualTo("web");
    assertThat(spec.nodeName()).isEqualTo("minicluster");
    assertThat(spec.hostNetwork()).isFalse();
    assertThat(spec.hostPID()).isFalse();
    assertThat(spec.hostIPC()).isFalse();
    assertThat(spec.shareProcessNamespace()).isTrue();
    assertThat(spec.hostname()).isEqualTo("web-0");
    assertThat(spec.subdomain()).isEqualTo("web");
    assertThat(spec.schedulerName()).isEqualTo("default-scheduler");
    assertThat(spec.priority()).isZero();
    assertThat(spec.preemptionPolicy()).isEqualTo("PreemptLowerPriority");
    assertThat(spec.enableServiceLinks()).isTrue();
    assertThat(spec.automountServiceAccountToken()).isNull();
    assertThat(spec.runtimeClassName()).isNull();
    assertThat(spec.imagePullSecrets()).containsExactly(new LocalObjectReference("registry-creds"));
    assertThat(spec.securityContext()).isEqualTo(new PodSecurityContext(null, null, true, List.of(2000L, 3000L),
        4000L, List.of(new Sysctl("net.ipv4.ip_unprivileged_port_start", "0"))));
    assertThat(spec.hostAliases()).containsExactly(new HostAlias("10.1.2.3", List.of("db.local", "cache.local")));
    assertThat(spec.tolerations()).contains(new Toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute",
        300L), new Toleration("dedicated", "Equal", "web", "NoSchedule", null));
    NodeAffinity affinity = spec.affinity().nodeAffinity();
    NodeSelectorTerm term = affinity.requiredDuringSchedulingIgnoredDuringExecution().nodeSelectorTerms().get(0);
    assertThat(term.matchExpressions()).containsExactly(
        new NodeSelectorRequirement("kubernetes.io/arch", "In", List.of("amd64", "arm64")));
    assertThat(term.matchFields()).containsExactly(
        new NodeSelectorRequirement("metadata.name", "In", List.of("minicluster")));
    assertThat(affinity.preferredDuringSchedulingIgnoredDuringExecution()).containsExactly(new PreferredSchedulingTerm(
        10, new NodeSelectorTerm(List.of(new NodeSelectorRequirement("disk", "Exists", List.of())), List.of())));
    assertThat(spec.schedulingGates()).isEmpty();
    assertThat(spec.overhead()).isEmpty();
  }

  @Test
  void decodesTheStatusTheNodeAgentWrites() {
    PodStatus status = pod.status();

    assertThat(status.phase()).isEqualTo(Pod.RUNNING);
    assertThat(status.qosClass()).isEqualTo("Burstable");
    assertThat(status.hostIP()).isEqualTo("192.168.1.20");
    assertThat(status.hostIPs()).containsExactly(new PodIP("192.168.1.20"));
    assertThat(status.podIP()).isEqualTo("10.88.0.5");
    assertThat(status.podIPs()).containsExactly(new PodIP("10.88.0.5"));
    assertThat(status.startTime()).isEqualTo(Instant.parse("2026-12-07T08:48:19Z"));
    assertThat(status.conditions()).extracting(Condition::type).containsExactly("PodReadyToStartContainers",
        "Initialized", "Ready", "ContainersReady", "PodScheduled");
    assertThat(status.condition("Ready").orElseThrow().lastTransitionTime())
        .isEqualTo(Instant.parse("2026-12-07T08:48:31Z"));
    assertThat(pod.isReady()).isTrue();
    assertThat(pod.isTerminal()).isFalse();

    ContainerStatus grpc = status.containerStatus("grpc").orElseThrow();
    assertThat(grpc.state().waiting().reason()).isEqualTo("CrashLoopBackOff");
    assertThat(grpc.state().running()).isNull();
    assertThat(grpc.lastState().terminated()).isEqualTo(new ContainerStateTerminated(137, 9, "OOMKilled",
        "out of memory", Instant.parse("2026-12-07T08:48:23Z"), Instant.parse("2026-12-07T08:48:25Z"),
        "docker://3333"));
    assertThat(grpc.ready()).isFalse();
    assertThat(grpc.restartCount()).isEqualTo(2);
    assertThat(grpc.started()).isFalse();
    ContainerStatus web = status.containerStatus("web").orElseThrow();
    assertThat(web.state().running().startedAt()).isEqualTo(Instant.parse("2026-12-07T08:48:23Z"));
    assertThat(web.lastState()).isEqualTo(ContainerState.EMPTY);
    assertThat(web.imageID()).isEqualTo("docker-pullable://nginx@sha256:bbbb");
    assertThat(web.containerID()).isEqualTo("docker://4444");
    assertThat(status.containerStatus("init-db").orElseThrow().state().terminated().reason()).isEqualTo("Completed");
    assertThat(status.initContainerStatuses()).hasSize(2);
  }

  @Test
  void terminalPhases() {
    assertThat(withPhase("Succeeded").isTerminal()).isTrue();
    assertThat(withPhase("Failed").isTerminal()).isTrue();
    assertThat(withPhase("Pending").isTerminal()).isFalse();
    assertThat(withPhase("Unknown").isTerminal()).isFalse();
  }

  private static Pod withPhase(String phase) {
    return Pod.from(Json.parseObject("{\"status\":{\"phase\":\"" + phase + "\"}}"));
  }

  @Test
  void anEmptyObjectDecodesToZeroValues() {
    Pod empty = Pod.from(Json.object());

    assertThat(empty.metadata()).isSameAs(ObjectMeta.EMPTY);
    assertThat(empty.spec()).isEqualTo(PodSpec.EMPTY);
    assertThat(empty.spec().containers()).isEmpty();
    assertThat(empty.spec().nodeName()).isEmpty();
    assertThat(empty.spec().terminationGracePeriodSeconds()).isNull();
    assertThat(empty.spec().securityContext()).isNull();
    assertThat(empty.status()).isEqualTo(PodStatus.EMPTY);
    assertThat(empty.status().phase()).isEmpty();
    assertThat(empty.status().startTime()).isNull();
    assertThat(empty.isReady()).isFalse();
    assertThat(empty.key()).isEmpty();
  }

  @Test
  void aContainerWithOnlyANameHasZeroValues() {
    Container container = Container.from(Json.parseObject("{\"name\":\"c\"}"));

    assertThat(container).isEqualTo(new Container("c", "", List.of(), List.of(), "", List.of(), List.of(), List.of(),
        ResourceRequirements.EMPTY, "", List.of(), null, null, null, null, "", "", "", null, false, false, false));
  }

  @Test
  void unknownAndMistypedFieldsAreIgnored() {
    ObjectNode object = fixture("core/pod.json");
    object.put("futureField", "x");
    object.with("spec").put("futureSpecField", 1);
    ((ObjectNode) object.with("spec").withArray("containers").get(0)).putObject("resizePolicy").put("a", "b");
    object.with("status").put("phase", 3);
    object.with("spec").put("nodeName", true);

    Pod decoded = Pod.from(object);

    assertThat(decoded.spec().containers()).isEqualTo(pod.spec().containers());
    assertThat(decoded.status().phase()).isEqualTo("3");
    assertThat(decoded.spec().nodeName()).isEqualTo("true");
  }

  @Test
  void noListOrMapCanBeModified() {
    assertThat(assertDeeplyImmutable(pod)).isGreaterThan(40);
    assertThat(assertDeeplyImmutable(Pod.from(Json.object()))).isPositive();
  }

  @Test
  void decodesTheTelescopeExampleAsKubectlSendsIt() {
    Pod telescope = Pod.from(example("telescope-pod"));

    assertThat(telescope.metadata().name()).isEqualTo("telescope-pod");
    assertThat(telescope.spec().containers()).extracting(Container::name).containsExactly("mongo", "telescope");
    assertThat(telescope.spec().containers().get(1).env()).isNotEmpty();
    assertThat(telescope.spec().containers().get(0).ports().get(0).containerPort()).isEqualTo(27017);
    assertThat(telescope.spec().containers().get(0).ports().get(0).protocol()).isEmpty();
    assertThat(telescope.status().phase()).isEmpty();
  }

  @Test
  void decodesTheTelescopeExampleAsStoredAndRunning() {
    Pod telescope = Pod.from(fixture("core/pod-small.json"));

    assertThat(telescope.metadata().controllerRef()).map(r -> r.kind()).contains("ReplicaSet");
    assertThat(telescope.spec().containers().get(0).ports().get(0).protocol()).isEqualTo("TCP");
    assertThat(telescope.spec().containers().get(0).imagePullPolicy()).isEqualTo("Always");
    assertThat(telescope.spec().terminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(telescope.status().qosClass()).isEqualTo("BestEffort");
    assertThat(telescope.status().containerStatuses()).allSatisfy(s -> assertThat(s.state().running()).isNotNull());
    assertThat(telescope.isReady()).isTrue();
  }

  @Test
  void decodesEphemeralContainersAndTheirStatuses() {
    Pod debugged = Pod.from(Json.parseObject("{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debugger\","
        + "\"image\":\"minicluster-test/busybox:1\",\"stdin\":true,\"targetContainerName\":\"web\"}]},"
        + "\"status\":{\"ephemeralContainerStatuses\":[{\"name\":\"debugger\",\"state\":{\"running\":{}}}]}}"));

    EphemeralContainer debugger = debugged.spec().ephemeralContainers().get(0);
    assertThat(debugger.name()).isEqualTo("debugger");
    assertThat(debugger.container().image()).isEqualTo("minicluster-test/busybox:1");
    assertThat(debugger.container().stdin()).isTrue();
    assertThat(debugger.targetContainerName()).isEqualTo("web");
    assertThat(debugged.status().ephemeralContainerStatuses().get(0).state().running().startedAt()).isNull();
    assertThat(pod.spec().ephemeralContainers()).isEmpty();
  }

  @Test
  void podsDecodedSeparatelyShareTheirEqualTolerationsConditionsAndSecurityContext() {
    ObjectNode tree = fixture("core/pod.json");
    ObjectNode other = tree.deepCopy();
    ((ObjectNode) other.get("metadata")).put("name", "other");

    Pod first = Pod.from(tree);
    Pod second = Pod.from(other);

    assertThat(second.metadata().name()).isEqualTo("other");
    assertThat(first.spec().tolerations()).isNotEmpty();
    assertThat(second.spec().tolerations().get(0)).isSameAs(first.spec().tolerations().get(0));
    assertThat(first.status().conditions()).isNotEmpty();
    assertThat(second.status().conditions()).isSameAs(first.status().conditions());
    assertThat(second.spec().securityContext()).isSameAs(first.spec().securityContext());
  }
}
