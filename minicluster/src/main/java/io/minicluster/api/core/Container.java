package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/**
 * v1.Container (also the init containers). Probes, lifecycle and securityContext are null when unset; restartPolicy is
 * "" except for sidecar init containers ("Always").
 */
public record Container(String name, String image, List<String> command, List<String> args, String workingDir,
    List<ContainerPort> ports, List<EnvFromSource> envFrom, List<EnvVar> env, ResourceRequirements resources,
    String restartPolicy, List<VolumeMount> volumeMounts, Probe livenessProbe, Probe readinessProbe,
    Probe startupProbe, Lifecycle lifecycle, String terminationMessagePath, String terminationMessagePolicy,
    String imagePullPolicy, SecurityContext securityContext, boolean stdin, boolean stdinOnce, boolean tty) {

  public Container {
    command = List.copyOf(command);
    args = List.copyOf(args);
    ports = List.copyOf(ports);
    envFrom = List.copyOf(envFrom);
    env = List.copyOf(env);
    volumeMounts = List.copyOf(volumeMounts);
  }

  public static Container from(JsonNode node) {
    return new Container(JsonValues.string(node, "name"), JsonValues.string(node, "image"),
        JsonValues.strings(node, "command"), JsonValues.strings(node, "args"),
        JsonValues.string(node, "workingDir"), JsonValues.list(node, "ports", ContainerPort::from),
        JsonValues.list(node, "envFrom", EnvFromSource::from), JsonValues.list(node, "env", EnvVar::from),
        JsonValues.struct(node, "resources", ResourceRequirements::from),
        JsonValues.string(node, "restartPolicy"), JsonValues.list(node, "volumeMounts", VolumeMount::from),
        JsonValues.optional(node, "livenessProbe", Probe::from),
        JsonValues.optional(node, "readinessProbe", Probe::from),
        JsonValues.optional(node, "startupProbe", Probe::from),
        JsonValues.optional(node, "lifecycle", Lifecycle::from),
        JsonValues.string(node, "terminationMessagePath"), JsonValues.string(node, "terminationMessagePolicy"),
        JsonValues.string(node, "imagePullPolicy"),
        JsonValues.optional(node, "securityContext", SecurityContext::from), JsonValues.bool(node, "stdin"),
        JsonValues.bool(node, "stdinOnce"), JsonValues.bool(node, "tty"));
  }
}
