package io.minicluster.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.ControllerRevision;
import io.minicluster.api.apps.DaemonSet;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.apps.StatefulSet;
import io.minicluster.api.autoscaling.HorizontalPodAutoscaler;
import io.minicluster.api.batch.CronJob;
import io.minicluster.api.batch.Job;
import io.minicluster.api.coordination.Lease;
import io.minicluster.api.core.ConfigMap;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Namespace;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.PersistentVolume;
import io.minicluster.api.core.PersistentVolumeClaim;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.ReplicationController;
import io.minicluster.api.core.Secret;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.policy.PodDisruptionBudget;
import io.minicluster.api.quota.ResourceQuota;
import io.minicluster.api.storage.StorageClass;
import java.util.function.Function;

/**
 * The typed kinds consumers read through {@link SharedInformers}: one constant per type, so that every consumer of a
 * type shares the informer's one decoded record per object version.
 */
public final class Kinds {
  public static final Kind<Pod> PODS = new Kind<>(ResourceTypes.PODS, Pod::from);
  public static final Kind<Node> NODES = new Kind<>(ResourceTypes.NODES, Node::from);
  public static final Kind<Lease> LEASES = new Kind<>(ResourceTypes.LEASES, Lease::from);
  public static final Kind<Service> SERVICES = new Kind<>(ResourceTypes.SERVICES, Service::from);
  public static final Kind<Endpoints> ENDPOINTS = new Kind<>(ResourceTypes.ENDPOINTS, Endpoints::from);
  public static final Kind<EndpointSlice> ENDPOINT_SLICES =
      new Kind<>(ResourceTypes.ENDPOINT_SLICES, EndpointSlice::from);
  public static final Kind<Namespace> NAMESPACES = new Kind<>(ResourceTypes.NAMESPACES, Namespace::from);
  public static final Kind<ReplicationController> REPLICATION_CONTROLLERS =
      new Kind<>(ResourceTypes.REPLICATION_CONTROLLERS, ReplicationController::from);
  public static final Kind<ReplicaSet> REPLICA_SETS = new Kind<>(ResourceTypes.REPLICA_SETS, ReplicaSet::from);
  public static final Kind<Deployment> DEPLOYMENTS = new Kind<>(ResourceTypes.DEPLOYMENTS, Deployment::from);
  public static final Kind<ConfigMap> CONFIG_MAPS = new Kind<>(ResourceTypes.CONFIG_MAPS, ConfigMap::from);
  public static final Kind<Secret> SECRETS = new Kind<>(ResourceTypes.SECRETS, Secret::from);
  public static final Kind<DaemonSet> DAEMON_SETS = new Kind<>(ResourceTypes.DAEMON_SETS, DaemonSet::from);
  public static final Kind<StatefulSet> STATEFUL_SETS = new Kind<>(ResourceTypes.STATEFUL_SETS, StatefulSet::from);
  public static final Kind<ControllerRevision> CONTROLLER_REVISIONS =
      new Kind<>(ResourceTypes.CONTROLLER_REVISIONS, ControllerRevision::from);
  public static final Kind<Job> JOBS = new Kind<>(ResourceTypes.JOBS, Job::from);
  public static final Kind<CronJob> CRON_JOBS = new Kind<>(ResourceTypes.CRON_JOBS, CronJob::from);
  public static final Kind<HorizontalPodAutoscaler> HORIZONTAL_POD_AUTOSCALERS =
      new Kind<>(ResourceTypes.HORIZONTAL_POD_AUTOSCALERS, HorizontalPodAutoscaler::from);
  public static final Kind<PersistentVolume> PERSISTENT_VOLUMES =
      new Kind<>(ResourceTypes.PERSISTENT_VOLUMES, PersistentVolume::from);
  public static final Kind<PersistentVolumeClaim> PERSISTENT_VOLUME_CLAIMS =
      new Kind<>(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim::from);
  public static final Kind<StorageClass> STORAGE_CLASSES =
      new Kind<>(ResourceTypes.STORAGE_CLASSES, StorageClass::from);
  public static final Kind<PodDisruptionBudget> POD_DISRUPTION_BUDGETS =
      new Kind<>(ResourceTypes.POD_DISRUPTION_BUDGETS, PodDisruptionBudget::from);
  public static final Kind<ResourceQuota> RESOURCE_QUOTAS =
      new Kind<>(ResourceTypes.RESOURCE_QUOTAS, ResourceQuota::from);

  /** The one decoder of {@link #metadata}: kinds of the same type with it are equal, so they share one view. */
  private static final Function<ObjectNode, ObjectMeta> METADATA = ObjectMeta::of;

  private Kinds() {}

  /**
   * The metadata-only view of any type (as client-go's metadata informers give PartialObjectMetadata): what the
   * garbage collector reads of every type, and consumers that need no more than names, owners and finalizers. The
   * same type gives an equal kind, hence the same shared view.
   */
  public static Kind<ObjectMeta> metadata(ResourceType type) {
    return new Kind<>(type, METADATA);
  }
}
