package io.minicluster.scheduler;

import io.minicluster.api.core.Pod;

/** Binds a pod to a node, as POST pods/{name}/binding. */
public interface Binder {
  /**
   * Sets the pod's {@code spec.nodeName} and its PodScheduled=True condition.
   *
   * @return the pod as stored after binding
   * @throws io.minicluster.api.ApiException 409 when the pod is already bound, being deleted or was replaced (uid),
   *     404 when it is gone
   */
  Pod bind(Pod pod, String nodeName);
}
