package io.minicluster.agent.probe;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.ExecAction;
import io.minicluster.api.core.GrpcAction;
import io.minicluster.api.core.HttpGetAction;
import io.minicluster.api.core.LifecycleHandler;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Probe;
import io.minicluster.api.core.TcpSocketAction;
import java.time.Duration;

/** Runs one probe or lifecycle hook once (httpGet, tcpSocket, exec). Implementations must honour the timeout. */
@FunctionalInterface
public interface Prober {
  /**
   * Probes.
   *
   * @param action the probe's or hook's handler
   * @param target what to probe
   * @param timeout {@code timeoutSeconds}
   */
  Result probe(Action action, Target target, Duration timeout);

  /**
   * The handler of a probe or of a lifecycle hook: at most one of its fields is set; none (a hook this node cannot
   * run, such as {@code sleep}) fails with "missing probe handler".
   */
  record Action(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, GrpcAction grpc) {
    public static Action of(Probe probe) {
      return new Action(probe.exec(), probe.httpGet(), probe.tcpSocket(), probe.grpc());
    }

    public static Action of(LifecycleHandler handler) {
      return new Action(handler.exec(), handler.httpGet(), handler.tcpSocket(), null);
    }
  }

  /** The container being probed and where its pod is reachable from the host. */
  record Target(Pod pod, Container container, String containerId, String podIp) {
    public Target {
      requireNonNull(pod, "pod is null");
      requireNonNull(container, "container is null");
      requireNonNull(containerId, "containerId is null");
      requireNonNull(podIp, "podIp is null");
    }
  }

  /** Success, or failure with the kubelet's message (e.g. {@code HTTP probe failed with statuscode: 500}). */
  record Result(boolean success, String message) {
    public static final Result SUCCESS = new Result(true, "");

    public static Result failure(String message) {
      return new Result(false, message);
    }
  }
}
