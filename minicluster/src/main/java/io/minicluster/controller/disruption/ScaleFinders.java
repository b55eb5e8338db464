package io.minicluster.controller.disruption;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.apps.StatefulSet;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.ReplicationController;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.meta.OwnerReference;
import io.minicluster.client.Informer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The disruption controller's finders (getPodReplicaSet, getPodDeployment, getPodReplicationController,
 * getPodStatefulSet): the controller of a pod, found through its controllerRef with a matching uid, and that
 * controller's desired replicas. A ReplicaSet a Deployment controls counts as its Deployment.
 */
record ScaleFinders(Informer<ReplicaSet> replicaSets, Informer<Deployment> deployments,
    Informer<ReplicationController> replicationControllers, Informer<StatefulSet> statefulSets) {

  ScaleFinders {
    requireNonNull(replicaSets, "replicaSets is null");
    requireNonNull(deployments, "deployments is null");
    requireNonNull(replicationControllers, "replicationControllers is null");
    requireNonNull(statefulSets, "statefulSets is null");
  }

  /** A controller and its desired replicas. */
  record Controller(String uid, int scale) {}

  /** The sum of the scales of the selected pods' controllers, and the pods without a controller. */
  record Scale(int count, List<String> unmanaged) {
    Scale {
      unmanaged = List.copyOf(unmanaged);
    }
  }

  /**
   * getExpectedScale: each controller of a selected pod counted once.
   *
   * @throws IllegalStateException "found no controllers for pod" when a pod's controller is none of the finders'
   */
  Scale expectedScale(List<Pod> pods) {
    Map<String, Integer> scales = new LinkedHashMap<>();
    List<String> unmanaged = new ArrayList<>();
    for (Pod pod : pods) {
      Optional<OwnerReference> reference = pod.metadata().controllerRef();
      if (reference.isEmpty()) {
        unmanaged.add(pod.metadata().name());
        continue;
      }
      if (scales.containsKey(reference.get().uid())) {
        continue;
      }
      Controller controller = find(reference.get(), pod.metadata().namespace())
          .orElseThrow(() -> new IllegalStateException("found no controllers for pod \"" + pod.metadata().name()
              + "\""));
      scales.put(controller.uid(), controller.scale());
    }
    return new Scale(scales.values().stream().mapToInt(Integer::intValue).sum(), unmanaged);
  }

  /** The controller a controllerRef names, by the first finder that knows it. */
  Optional<Controller> find(OwnerReference reference, String namespace) {
    String group = group(reference.apiVersion());
    switch (reference.kind()) {
      case "ReplicaSet" -> {
        if (!group.equals("apps")) {
          return Optional.empty();
        }
        Optional<ReplicaSet> replicaSet = replicaSets.get(namespace, reference.name())
            .filter(set -> set.metadata().uid().equals(reference.uid()));
        if (replicaSet.isEmpty()) {
          return Optional.empty();
        }
        Optional<OwnerReference> owner = replicaSet.get().metadata().controllerRef();
        if (owner.isPresent() && owner.get().kind().equals("Deployment")) {
          return deployments.get(namespace, owner.get().name())
              .filter(deployment -> deployment.metadata().uid().equals(owner.get().uid()))
              .map(deployment -> controller(deployment.metadata(), deployment.spec().replicas()));
        }
        return Optional.of(controller(replicaSet.get().metadata(), replicaSet.get().spec().replicas()));
      }
      case "StatefulSet" -> {
        return !group.equals("apps") ? Optional.empty() : statefulSets.get(namespace, reference.name())
            .filter(set -> set.metadata().uid().equals(reference.uid()))
            .map(set -> controller(set.metadata(), set.spec().replicas()));
      }
      case "ReplicationController" -> {
        return !group.isEmpty() ? Optional.empty() : replicationControllers.get(namespace, reference.name())
            .filter(rc -> rc.metadata().uid().equals(reference.uid()))
            .map(rc -> controller(rc.metadata(), rc.spec().replicas()));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** The desired replicas, 1 when unset (the registries default them). */
  private static Controller controller(ObjectMeta metadata, Integer replicas) {
    return new Controller(metadata.uid(), replicas == null ? 1 : replicas);
  }

  private static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
