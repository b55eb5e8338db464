package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.MountSpec;
import io.minicluster.agent.runtime.PortMapping;
import io.minicluster.agent.runtime.ResourceSpec;
import io.minicluster.agent.runtime.SandboxSpec;
import io.minicluster.agent.runtime.SecuritySpec;
import io.minicluster.agent.volume.VolumeManager;
import io.minicluster.api.Meta;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The translation of a pod spec into the runtime's create options (the kubelet's {@code generatePodSandboxConfig} and
 * {@code generateContainerConfig}): the sandbox's network, DNS and host ports, each container's command, environment,
 * mounts, resources and security.
 */
final class ContainerConfigs {
  private final AgentConfig config;
  private final EnvironmentResolver environment;

  ContainerConfigs(AgentConfig config, EnvironmentResolver environment) {
    this.config = requireNonNull(config, "config is null");
    this.environment = requireNonNull(environment, "environment is null");
  }

  /** The sandbox of {@code pod}'s {@code attempt}-th sandbox (0 for the first). */
  SandboxSpec sandbox(ObjectNode pod, int attempt) {
    SandboxSpec.Builder builder = SandboxSpec.builder(Meta.uid(pod), Meta.name(pod), Meta.namespace(pod))
        .attempt(attempt)
        .hostNetwork(PodSpecs.hostNetwork(pod))
        .hostIpc(Json.at(pod, "spec", "hostIPC") != null && Json.at(pod, "spec", "hostIPC").asBoolean());
    String hostname = Json.textOrNull(pod, "spec", "hostname");
    if (hostname != null && !hostname.isEmpty()) {
      builder.hostname(hostname);
    }
    String dnsPolicy = Json.textOrNull(pod, "spec", "dnsPolicy");
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    boolean clusterFirst = dnsPolicy == null || dnsPolicy.equals("ClusterFirst")
        || (dnsPolicy.equals("ClusterFirstWithHostNet") && PodSpecs.hostNetwork(pod));
    if (clusterFirst && !PodSpecs.hostNetwork(pod) || "ClusterFirstWithHostNet".equals(dnsPolicy)) {
      if (!config.clusterDns().isEmpty()) {
        servers.addAll(config.clusterDns());
        if (!config.searchDomains().isEmpty()) {
          String domain = config.searchDomains();
          searches.add(Meta.namespace(pod) + ".svc." + domain);
          searches.add("svc." + domain);
          searches.add(domain);
        }
        options.add("ndots:5");
      }
    }
    JsonNode dnsConfig = Json.at(pod, "spec", "dnsConfig");
    if (dnsConfig != null) {
      dnsConfig.path("nameservers").forEach(n -> servers.add(n.asText()));
      dnsConfig.path("searches").forEach(n -> searches.add(n.asText()));
      dnsConfig.path("options").forEach(n -> options.add(n.path("value").isMissingNode()
          ? n.path("name").asText() : n.path("name").asText() + ":" + n.path("value").asText()));
    }
    builder.dnsServers(servers).dnsSearches(searches).dnsOptions(options);
    List<String> hosts = new ArrayList<>();
    for (JsonNode alias : PodSpecs.objectsOf(Json.at(pod, "spec", "hostAliases"))) {
      alias.path("hostnames").forEach(h -> hosts.add(h.asText() + ":" + alias.path("ip").asText()));
    }
    builder.extraHosts(hosts);
    List<PortMapping> ports = new ArrayList<>();
    for (ObjectNode container : PodSpecs.containers(pod)) {
      for (JsonNode port : PodSpecs.objectsOf(container.get("ports"))) {
        int hostPort = port.path("hostPort").asInt(0);
        if (hostPort > 0 && !PodSpecs.hostNetwork(pod)) {
          ports.add(new PortMapping(port.path("containerPort").asInt(), hostPort, port.path("hostIP").asText(""),
              port.path("protocol").asText("TCP")));
        }
      }
    }
    builder.portMappings(ports);
    return builder.build();
  }

  /**
   * One container's create options; {@code $(VAR)} references in command and args expanded with its environment.
   *
   * @throws ConfigException when the environment or the resources cannot be resolved
   */
  ContainerSpec container(ObjectNode pod, ObjectNode container, String sandboxId, int restartCount,
      Map<String, VolumeManager.Prepared> prepared) throws ConfigException {
    Map<String, String> env = environment.resolve(pod, container);
    List<String> command = new ArrayList<>();
    container.path("command").forEach(part -> command.add(Expansion.expand(part.asText(), env)));
    List<String> args = new ArrayList<>();
    container.path("args").forEach(part -> args.add(Expansion.expand(part.asText(), env)));
    List<MountSpec> mounts = VolumeManager.mounts(container, prepared);
    JsonNode podSecurity = Json.at(pod, "spec", "securityContext");
    JsonNode security = container.get("securityContext");
    Long user = longField(security, "runAsUser");
    if (user == null) {
      user = longField(podSecurity, "runAsUser");
    }
    Long group = longField(security, "runAsGroup");
    if (group == null) {
      group = longField(podSecurity, "runAsGroup");
    }
    List<Long> groups = new ArrayList<>();
    if (podSecurity != null) {
      podSecurity.path("supplementalGroups").forEach(g -> groups.add(g.asLong()));
      if (podSecurity.hasNonNull("fsGroup")) {
        groups.add(podSecurity.get("fsGroup").asLong());
      }
    }
    List<String> added = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    if (security != null) {
      security.path("capabilities").path("add").forEach(c -> added.add(c.asText()));
      security.path("capabilities").path("drop").forEach(c -> dropped.add(c.asText()));
    }
    SecuritySpec securitySpec = new SecuritySpec(SecuritySpec.userOf(user, group), groups,
        security != null && security.path("privileged").asBoolean(false), added, dropped,
        security != null && security.path("readOnlyRootFilesystem").asBoolean(false));
    ResourceSpec resources;
    try {
      resources = new ResourceSpec(
          quantity(container, "requests", "cpu", true), quantity(container, "limits", "cpu", true),
          quantity(container, "limits", "memory", false), quantity(container, "requests", "memory", false));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("invalid resources: " + e.getMessage());
    }
    JsonNode share = Json.at(pod, "spec", "shareProcessNamespace");
    JsonNode hostPid = Json.at(pod, "spec", "hostPID");
    return ContainerSpec.builder(Meta.uid(pod), Meta.name(pod), Meta.namespace(pod), PodSpecs.name(container))
        .restartCount(restartCount)
        .sandboxId(sandboxId)
        .image(container.path("image").asText())
        .command(command)
        .args(args)
        .env(env)
        .workingDir(container.path("workingDir").asText(""))
        .mounts(mounts)
        .resources(resources)
        .security(securitySpec)
        .tty(container.path("tty").asBoolean(false))
        .stdin(container.path("stdin").asBoolean(false))
        .stdinOnce(container.path("stdinOnce").asBoolean(false))
        .shareProcessNamespace(share != null && share.asBoolean(false))
        .hostPid(hostPid != null && hostPid.asBoolean(false))
        .configHash(PodSpecs.hash(container))
        .build();
  }

  private static Long longField(JsonNode node, String field) {
    return node != null && node.hasNonNull(field) ? node.get(field).asLong() : null;
  }

  private static long quantity(JsonNode container, String kind, String resource, boolean millis) {
    JsonNode value = Json.at(container, "resources", kind, resource);
    if (value == null || value.isNull()) {
      if (kind.equals("requests")) {
        value = Json.at(container, "resources", "limits", resource);
      }
      if (value == null || value.isNull()) {
        return 0;
      }
    }
    Quantity amount = Quantity.parse(value.asText());
    return millis ? amount.milliValue() : amount.value();
  }
}
