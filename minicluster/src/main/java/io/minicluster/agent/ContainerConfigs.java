package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.MountSpec;
import io.minicluster.agent.runtime.PortMapping;
import io.minicluster.agent.runtime.ResourceSpec;
import io.minicluster.agent.runtime.SandboxSpec;
import io.minicluster.agent.runtime.SecuritySpec;
import io.minicluster.agent.volume.VolumeManager;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerPort;
import io.minicluster.api.core.HostAlias;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodDNSConfig;
import io.minicluster.api.core.PodSecurityContext;
import io.minicluster.api.core.PodSpec;
import io.minicluster.api.core.ResourceRequirements;
import io.minicluster.api.core.SecurityContext;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.resource.Quantity;
import io.minicluster.dns.DnsPolicy;
import io.minicluster.dns.PodResolvConf;
import io.minicluster.dns.ResolvConf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The translation of a pod spec into the runtime's create options (the kubelet's {@code generatePodSandboxConfig} and
 * {@code generateContainerConfig}): the sandbox's network, DNS and host ports, each container's command, environment,
 * mounts, resources and security.
 */
final class ContainerConfigs {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerConfigs.class);
  private final AgentConfig config;
  private final EnvironmentResolver environment;

  ContainerConfigs(AgentConfig config, EnvironmentResolver environment) {
    this.config = requireNonNull(config, "config is null");
    this.environment = requireNonNull(environment, "environment is null");
  }

  /** The sandbox of {@code pod}'s {@code attempt}-th sandbox (0 for the first). */
  SandboxSpec sandbox(Pod pod, int attempt) {
    PodSpec spec = pod.spec();
    ObjectMeta meta = pod.metadata();
    SandboxSpec.Builder builder = SandboxSpec.builder(meta.uid(), meta.name(), meta.namespace())
        .attempt(attempt)
        .hostNetwork(spec.hostNetwork())
        .hostIpc(spec.hostIPC());
    if (spec.hostname() != null && !spec.hostname().isEmpty()) {
      builder.hostname(spec.hostname());
    }
    PodResolvConf dns = PodResolvConf.build(DnsPolicy.fromApiName(spec.dnsPolicy()), spec.hostNetwork(),
        meta.namespace(), config.clusterDns(), config.searchDomains(), hostDns(), dnsConfig(spec.dnsConfig()));
    dns.warnings().forEach(warning -> LOG.warn("pod {}/{}: {}: {}", meta.namespace(), meta.name(), warning.reason(),
        warning.message()));
    builder.dnsServers(dns.nameservers()).dnsSearches(dns.searches()).dnsOptions(dns.options());
    List<String> hosts = new ArrayList<>();
    for (HostAlias alias : spec.hostAliases()) {
      alias.hostnames().forEach(hostname -> hosts.add(hostname + ":" + alias.ip()));
    }
    builder.extraHosts(hosts);
    List<PortMapping> ports = new ArrayList<>();
    if (!spec.hostNetwork()) {
      for (Container container : spec.containers()) {
        for (ContainerPort port : container.ports()) {
          if (port.hostPort() > 0) {
            ports.add(new PortMapping(port.containerPort(), port.hostPort(), port.hostIP(),
                port.protocol().isEmpty() ? "TCP" : port.protocol()));
          }
        }
      }
    }
    builder.portMappings(ports);
    return builder.build();
  }

  /** The host's resolver configuration as pods can use it; null when it cannot be read. */
  private ResolvConf hostDns() {
    try {
      return ResolvConf.host(config.hostResolvConf(), ResolvConf.SYSTEMD_RESOLVED_PATH).forPods(config.clusterDns());
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read {}: {}", config.hostResolvConf(), e.getMessage());
      return null;
    }
  }

  private static PodResolvConf.PodDnsConfig dnsConfig(PodDNSConfig dnsConfig) {
    if (dnsConfig == null) {
      return null;
    }
    return new PodResolvConf.PodDnsConfig(dnsConfig.nameservers(), dnsConfig.searches(), dnsConfig.options().stream()
        .map(option -> new PodResolvConf.Option(option.name(), option.value())).toList());
  }

  /**
   * One container's create options; {@code $(VAR)} references in command and args expanded with its environment.
   *
   * @param configHash {@link AgentPod#hash} of the container's spec as stored (its JSON object), the label that
   *     tells a later sync whether the spec changed
   * @throws ConfigException when the environment or the resources cannot be resolved
   */
  ContainerSpec container(Pod pod, Container container, String configHash, String sandboxId, int restartCount,
      Map<String, VolumeManager.Prepared> prepared) throws ConfigException {
    Map<String, String> env = environment.resolve(pod, container);
    List<String> command = new ArrayList<>();
    container.command().forEach(part -> command.add(Expansion.expand(part, env)));
    List<String> args = new ArrayList<>();
    container.args().forEach(part -> args.add(Expansion.expand(part, env)));
    List<MountSpec> mounts = VolumeManager.mounts(container, prepared);
    PodSecurityContext podSecurity = pod.spec().securityContext();
    SecurityContext security = container.securityContext();
    Long user = security == null ? null : security.runAsUser();
    if (user == null && podSecurity != null) {
      user = podSecurity.runAsUser();
    }
    Long group = security == null ? null : security.runAsGroup();
    if (group == null && podSecurity != null) {
      group = podSecurity.runAsGroup();
    }
    List<Long> groups = new ArrayList<>();
    if (podSecurity != null) {
      groups.addAll(podSecurity.supplementalGroups());
      if (podSecurity.fsGroup() != null) {
        groups.add(podSecurity.fsGroup());
      }
    }
    List<String> added = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    if (security != null && security.capabilities() != null) {
      added.addAll(security.capabilities().add());
      dropped.addAll(security.capabilities().drop());
    }
    SecuritySpec securitySpec = new SecuritySpec(SecuritySpec.userOf(user, group), groups,
        security != null && Boolean.TRUE.equals(security.privileged()), added, dropped,
        security != null && Boolean.TRUE.equals(security.readOnlyRootFilesystem()));
    ResourceSpec resources;
    try {
      ResourceRequirements requirements = container.resources();
      resources = new ResourceSpec(
          quantity(requirements, true, "cpu", true), quantity(requirements, false, "cpu", true),
          quantity(requirements, false, "memory", false), quantity(requirements, true, "memory", false));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("invalid resources: " + e.getMessage());
    }
    PodSpec spec = pod.spec();
    return ContainerSpec.builder(pod.metadata().uid(), pod.metadata().name(), pod.metadata().namespace(),
            container.name())
        .restartCount(restartCount)
        .sandboxId(sandboxId)
        .image(container.image())
        .command(command)
        .args(args)
        .env(env)
        .workingDir(container.workingDir())
        .mounts(mounts)
        .resources(resources)
        .security(securitySpec)
        .tty(container.tty())
        .stdin(container.stdin())
        .stdinOnce(container.stdinOnce())
        .shareProcessNamespace(Boolean.TRUE.equals(spec.shareProcessNamespace()))
        .hostPid(spec.hostPID())
        .configHash(requireNonNull(configHash, "configHash is null"))
        .build();
  }

  /** A request (falling back to the limit, as the API defaults it) or a limit; 0 when unset. */
  private static long quantity(ResourceRequirements requirements, boolean request, String resource, boolean millis) {
    Quantity amount = request ? requirements.requests().get(resource) : null;
    if (amount == null) {
      amount = requirements.limits().get(resource);
    }
    if (amount == null) {
      return 0;
    }
    return millis ? amount.milliValue() : amount.value();
  }
}
