package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.MountSpec;
import io.minicluster.agent.runtime.PortMapping;
import io.minicluster.agent.runtime.SandboxSpec;
import io.minicluster.agent.volume.VolumeManager;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.client.FakeClient;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerConfigsTest {
  private static final String POD = """
      {"metadata":{"name":"web","namespace":"ns","uid":"u1"},
       "spec":{"enableServiceLinks":false,"hostIPC":true,"hostPID":true,"shareProcessNamespace":true,
        "hostname":"h1","dnsConfig":{"nameservers":["1.1.1.1"],"searches":["example.org"],
          "options":[{"name":"ndots","value":"2"},{"name":"edns0"}]},
        "hostAliases":[{"ip":"10.1.1.1","hostnames":["a.local","b.local"]}],
        "securityContext":{"runAsUser":1000,"runAsGroup":3000,"supplementalGroups":[4000],"fsGroup":2000},
        "volumes":[{"name":"data","emptyDir":{}}],
        "containers":[{"name":"app","image":"busybox:1","command":["sh","-c","echo $(GREETING)"],
          "args":["$(GREETING)","$$(GREETING)"],"workingDir":"/work","tty":true,"stdin":true,"stdinOnce":true,
          "env":[{"name":"GREETING","value":"hello"}],
          "ports":[{"containerPort":80,"hostPort":8080},{"containerPort":53,"hostPort":5353,"protocol":"UDP",
            "hostIP":"127.0.0.1"},{"containerPort":9090}],
          "resources":{"limits":{"cpu":"500m","memory":"64Mi"},"requests":{"memory":"32Mi"}},
          "securityContext":{"runAsUser":0,"privileged":true,"readOnlyRootFilesystem":true,
            "capabilities":{"add":["NET_ADMIN"],"drop":["ALL"]}},
          "volumeMounts":[{"name":"data","mountPath":"/data","readOnly":true}]}]}}""";

  @TempDir
  static Path directory;
  private static Path hostResolvConf;

  private final ContainerConfigs configs = configs(hostResolvConf);

  @BeforeAll
  static void hostResolvConf() throws IOException {
    hostResolvConf = Files.writeString(directory.resolve("resolv.conf"),
        "# the host's\nnameserver 192.0.2.53\nsearch corp.example\noptions timeout:2\n");
  }

  private static ContainerConfigs configs(Path resolvConf) {
    return new ContainerConfigs(AgentConfig.of("node1", Path.of("/tmp/agent"), "10.244.0.0/16", "192.168.1.10")
        .withClusterDns(List.of("10.96.0.10"), "cluster.local").withHostResolvConf(resolvConf),
        new EnvironmentResolver(new FakeClient(), new EnvironmentResolver.NodeResources(1000, 1L << 30)));
  }

  private static SandboxSpec sandbox(ContainerConfigs configs, String policy, boolean hostNetwork,
      String dnsConfig) {
    ObjectNode tree = Json.parseObject(POD);
    Json.with(tree, "spec").put("hostNetwork", hostNetwork);
    if (policy != null) {
      Json.with(tree, "spec").put("dnsPolicy", policy);
    }
    Json.with(tree, "spec").remove("dnsConfig");
    if (dnsConfig != null) {
      Json.with(tree, "spec").set("dnsConfig", Json.parseObject(dnsConfig));
    }
    return configs.sandbox(Pod.from(tree), 0);
  }

  @Test
  void theSandboxCarriesDnsHostsAndHostPorts() {
    SandboxSpec sandbox = configs.sandbox(Pod.from(Json.parseObject(POD)), 2);

    assertThat(sandbox.attempt()).isEqualTo(2);
    assertThat(sandbox.hostname()).isEqualTo("h1");
    assertThat(sandbox.hostIpc()).isTrue();
    assertThat(sandbox.hostNetwork()).isFalse();
    assertThat(sandbox.dnsServers()).containsExactly("10.96.0.10", "1.1.1.1");
    // the host's search path after the cluster's, the pod's options merged over ndots:5 (kubelet's GetPodDNS)
    assertThat(sandbox.dnsSearches()).containsExactly("ns.svc.cluster.local", "svc.cluster.local", "cluster.local",
        "corp.example", "example.org");
    assertThat(sandbox.dnsOptions()).containsExactly("ndots:2", "edns0");
    assertThat(sandbox.extraHosts()).containsExactly("a.local:10.1.1.1", "b.local:10.1.1.1");
    assertThat(sandbox.portMappings()).containsExactly(new PortMapping(80, 8080, "", "TCP"),
        new PortMapping(53, 5353, "127.0.0.1", "UDP"));
  }

  @Test
  void hostNetworkPodsUseTheHostsDnsAndPublishNoPorts() {
    ObjectNode tree = Json.parseObject(POD);
    Json.with(tree, "spec").put("hostNetwork", true);
    Json.with(tree, "spec").remove("dnsConfig");

    SandboxSpec sandbox = configs.sandbox(Pod.from(tree), 0);

    assertThat(sandbox.hostNetwork()).isTrue();
    assertThat(sandbox.dnsServers()).containsExactly("192.0.2.53");
    assertThat(sandbox.dnsSearches()).containsExactly("corp.example");
    assertThat(sandbox.dnsOptions()).containsExactly("timeout:2");
    assertThat(sandbox.portMappings()).isEmpty();
  }

  @Test
  void eachDnsPolicyGetsTheResolverKubeletGivesIt() {
    SandboxSpec withHostNet = sandbox(configs, "ClusterFirstWithHostNet", true, null);
    assertThat(withHostNet.dnsServers()).containsExactly("10.96.0.10");
    assertThat(withHostNet.dnsSearches()).containsExactly("ns.svc.cluster.local", "svc.cluster.local",
        "cluster.local", "corp.example");
    assertThat(withHostNet.dnsOptions()).containsExactly("ndots:5");

    SandboxSpec byDefault = sandbox(configs, "Default", false, null);
    assertThat(byDefault.dnsServers()).containsExactly("192.0.2.53");
    assertThat(byDefault.dnsSearches()).containsExactly("corp.example");

    SandboxSpec none = sandbox(configs, "None", false, """
        {"nameservers":["192.0.2.1","192.0.2.2","192.0.2.3","192.0.2.4"],"searches":["a.example"],
         "options":[{"name":"ndots","value":"1"}]}""");
    assertThat(none.dnsServers()).containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.3");
    assertThat(none.dnsSearches()).containsExactly("a.example");
    assertThat(none.dnsOptions()).containsExactly("ndots:1");
  }

  @Test
  void aHostResolverOnLoopbackIsReplacedByTheClusterDnsForPods() throws IOException {
    Path loopback = Files.writeString(directory.resolve("loopback.conf"), "nameserver 127.0.0.1\nsearch lan\n");
    SandboxSpec sandbox = sandbox(configs(loopback), "Default", false, null);
    assertThat(sandbox.dnsServers()).containsExactly("10.96.0.10");
    assertThat(sandbox.dnsSearches()).containsExactly("lan");
  }

  @Test
  void theContainerSpecTranslatesCommandResourcesSecurityAndMounts() throws Exception {
    ObjectNode tree = Json.parseObject(POD);
    Pod pod = Pod.from(tree);
    Container app = pod.spec().containers().get(0);
    Map<String, VolumeManager.Prepared> prepared = Map.of("data",
        new VolumeManager.Prepared("data", Path.of("/var/data"), false, 0, false));

    ContainerSpec spec = configs.container(pod, app, "cafe", "sandbox1", 3, prepared);

    assertThat(spec.command()).containsExactly("sh", "-c", "echo hello");
    assertThat(spec.args()).containsExactly("hello", "$(GREETING)");
    assertThat(spec.env()).containsEntry("GREETING", "hello");
    assertThat(spec.workingDir()).isEqualTo("/work");
    assertThat(spec.restartCount()).isEqualTo(3);
    assertThat(spec.sandboxId()).isEqualTo("sandbox1");
    assertThat(spec.tty()).isTrue();
    assertThat(spec.stdin()).isTrue();
    assertThat(spec.stdinOnce()).isTrue();
    assertThat(spec.hostPid()).isTrue();
    assertThat(spec.shareProcessNamespace()).isTrue();
    assertThat(spec.resources().cpuRequestMillis()).isEqualTo(500);
    assertThat(spec.resources().cpuLimitMillis()).isEqualTo(500);
    assertThat(spec.resources().memoryLimitBytes()).isEqualTo(64L << 20);
    assertThat(spec.resources().memoryRequestBytes()).isEqualTo(32L << 20);
    assertThat(spec.security().user()).isEqualTo("0:3000");
    assertThat(spec.security().supplementalGroups()).containsExactly(4000L, 2000L);
    assertThat(spec.security().privileged()).isTrue();
    assertThat(spec.security().readOnlyRootFilesystem()).isTrue();
    assertThat(spec.security().capabilitiesAdded()).containsExactly("NET_ADMIN");
    assertThat(spec.security().capabilitiesDropped()).containsExactly("ALL");
    assertThat(spec.mounts()).containsExactly(MountSpec.bind("/var/data", "/data", true));
    assertThat(spec.configHash()).isEqualTo("cafe");
  }
}
