package io.minicluster.controller.podtemplate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Pod creation in "slow start" batches of 1, 2, 4, ... that stops at the first failure (controller.slowStartBatch), so
 * that an owner whose pods are all refused (a quota, a bad template) sends a few requests and events, not hundreds;
 * each creation is an event on the owner (SuccessfulCreate, or FailedCreate with the error), as RealPodControl writes.
 */
public final class SlowStart {
  /**
   * @param created the names of the pods created
   * @param failure the first error, or null when every pod was created
   */
  public record Result(List<String> created, ApiException failure) {
    public Result {
      created = List.copyOf(created);
    }
  }

  private SlowStart() {}

  /**
   * Creates up to {@code count} pods in a namespace.
   *
   * @param pod the pod to create as the i-th (from 0)
   */
  public static Result createPods(Client client, EventRecorder events, ObjectReference owner, String namespace,
      int count, IntFunction<ObjectNode> pod) {
    requireNonNull(client, "client is null");
    requireNonNull(events, "events is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(pod, "pod is null");
    List<String> created = new ArrayList<>();
    int next = 0;
    for (int batch = 1; next < count; batch *= 2) {
      int end = Math.min(next + batch, count);
      for (; next < end; next++) {
        try {
          String name = Meta.name(client.create(ResourceTypes.PODS, namespace, pod.apply(next)));
          created.add(name);
          events.normal(owner, "SuccessfulCreate", "Created pod: " + name);
        } catch (ApiException e) {
          events.warning(owner, "FailedCreate", "Error creating: " + e.getMessage());
          return new Result(created, e);
        }
      }
    }
    return new Result(created, null);
  }
}
