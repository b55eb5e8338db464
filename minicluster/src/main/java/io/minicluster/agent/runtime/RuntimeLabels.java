package io.minicluster.agent.runtime;

import io.minicluster.dns.PodResolvConf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Labels minicluster puts on every engine container it creates, and the container names it gives them. */
public final class RuntimeLabels {
  /** Prefix reserved for minicluster's own labels. */
  public static final String PREFIX = "io.minicluster.";
  public static final String POD_UID = "io.minicluster.pod.uid";
  public static final String POD_NAME = "io.minicluster.pod.name";
  public static final String POD_NAMESPACE = "io.minicluster.pod.namespace";
  /** {@link #TYPE_SANDBOX} or {@link #TYPE_CONTAINER}; present on every minicluster container. */
  public static final String TYPE = "io.minicluster.type";
  public static final String TYPE_SANDBOX = "sandbox";
  public static final String TYPE_CONTAINER = "container";
  public static final String CONTAINER_NAME = "io.minicluster.container.name";
  public static final String RESTART_COUNT = "io.minicluster.container.restartCount";
  public static final String SANDBOX_ID = "io.minicluster.sandbox.id";
  public static final String SANDBOX_ATTEMPT = "io.minicluster.sandbox.attempt";
  public static final String CONFIG_HASH = "io.minicluster.config.hash";
  /** The pod's resolv.conf, written over the engine's at every start of the sandbox (absent: the engine's). */
  public static final String RESOLV_CONF = "io.minicluster.sandbox.resolv-conf";

  private RuntimeLabels() {}

  /** Labels of a sandbox container. */
  public static Map<String, String> forSandbox(SandboxSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(POD_UID, spec.podUid());
    labels.put(POD_NAME, spec.podName());
    labels.put(POD_NAMESPACE, spec.podNamespace());
    labels.put(TYPE, TYPE_SANDBOX);
    labels.put(SANDBOX_ATTEMPT, Integer.toString(spec.attempt()));
    labels.put(CONFIG_HASH, spec.configHash());
    if (!spec.dnsServers().isEmpty() || !spec.dnsSearches().isEmpty() || !spec.dnsOptions().isEmpty()) {
      labels.put(RESOLV_CONF,
          new PodResolvConf(spec.dnsServers(), spec.dnsSearches(), spec.dnsOptions(), List.of()).render());
    }
    return labels;
  }

  /** Labels of an application container: the spec's extra labels plus minicluster's. */
  public static Map<String, String> forContainer(ContainerSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>(spec.extraLabels());
    labels.put(POD_UID, spec.podUid());
    labels.put(POD_NAME, spec.podName());
    labels.put(POD_NAMESPACE, spec.podNamespace());
    labels.put(TYPE, TYPE_CONTAINER);
    labels.put(CONTAINER_NAME, spec.containerName());
    labels.put(RESTART_COUNT, Integer.toString(spec.restartCount()));
    labels.put(SANDBOX_ID, spec.sandboxId());
    labels.put(CONFIG_HASH, spec.configHash());
    return labels;
  }

  /** Engine name of a sandbox: {@code mc_POD_<pod>_<namespace>_<uid>_<attempt>} (like the kubelet's {@code k8s_POD_...}). */
  public static String sandboxName(SandboxSpec spec) {
    return "mc_POD_" + spec.podName() + "_" + spec.podNamespace() + "_" + spec.podUid() + "_" + spec.attempt();
  }

  /** Engine name of a container: {@code mc_<container>_<pod>_<namespace>_<uid>_<restartCount>}. */
  public static String containerName(ContainerSpec spec) {
    return "mc_" + spec.containerName() + "_" + spec.podName() + "_" + spec.podNamespace() + "_" + spec.podUid() + "_"
        + spec.restartCount();
  }

  /** The restart count label of {@code labels} as a number, 0 when absent or malformed. */
  public static int restartCount(Map<String, String> labels) {
    String value = labels.get(RESTART_COUNT);
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException malformed) {
      return 0;
    }
  }
}
