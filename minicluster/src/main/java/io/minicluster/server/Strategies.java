package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiextensions.CustomResourceDefinitionValidation;
import io.minicluster.apiextensions.schema.StructuralSchema;
import io.minicluster.registry.DefaultStrategy;
import io.minicluster.registry.admissionregistration.ValidatingAdmissionPolicyStrategy;
import io.minicluster.registry.admissionregistration.WebhookConfigurationStrategy;
import io.minicluster.registry.apiservice.ApiServiceStrategy;
import io.minicluster.registry.certificates.CertificateSigningRequestStrategy;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.configmap.ConfigMapStrategy;
import io.minicluster.registry.controllerrevision.ControllerRevisionStrategy;
import io.minicluster.registry.cronjob.CronJobStrategy;
import io.minicluster.registry.customresourcedefinition.CustomResourceDefinitionStrategy;
import io.minicluster.registry.daemonset.DaemonSetStrategy;
import io.minicluster.registry.deployment.DeploymentStrategy;
import io.minicluster.registry.endpoints.EndpointsStrategy;
import io.minicluster.registry.endpointslice.EndpointSliceStrategy;
import io.minicluster.registry.event.EventStrategy;
import io.minicluster.registry.flowcontrol.FlowControlStrategies;
import io.minicluster.registry.horizontalpodautoscaler.HorizontalPodAutoscalerStrategy;
import io.minicluster.registry.job.JobStrategy;
import io.minicluster.registry.limitrange.LimitRangeStrategy;
import io.minicluster.registry.lease.LeaseStrategy;
import io.minicluster.registry.namespace.NamespaceStrategy;
import io.minicluster.registry.node.NodeStrategy;
import io.minicluster.registry.networking.IngressClassStrategy;
import io.minicluster.registry.networking.IngressStrategy;
import io.minicluster.registry.networking.NetworkPolicyStrategy;
import io.minicluster.registry.persistentvolume.PersistentVolumeStrategy;
import io.minicluster.registry.persistentvolumeclaim.PersistentVolumeClaimStrategy;
import io.minicluster.registry.rbac.RoleBindingStrategy;
import io.minicluster.registry.rbac.RoleStrategy;
import io.minicluster.registry.pod.PodStrategy;
import io.minicluster.registry.poddisruptionbudget.PodDisruptionBudgetStrategy;
import io.minicluster.registry.resourcequota.ResourceQuotaStrategy;
import io.minicluster.registry.replicaset.ReplicaSetStrategy;
import io.minicluster.registry.runtimeclass.RuntimeClassStrategy;
import io.minicluster.registry.scheduling.PriorityClassStrategy;
import io.minicluster.registry.replicationcontroller.ReplicationControllerStrategy;
import io.minicluster.registry.secret.SecretStrategy;
import io.minicluster.registry.service.ServiceStrategy;
import io.minicluster.registry.serviceaccount.ServiceAccountStrategy;
import io.minicluster.registry.statefulset.StatefulSetStrategy;
import io.minicluster.registry.storageclass.StorageClassStrategy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The strategy of each served resource; kinds without one get a {@link DefaultStrategy}. The list is wiring: it names
 * every registry sub-package, so it lives with the daemon's assembly, not in the registry root they all build on.
 */
public final class Strategies {
  private static final Map<ResourceType, Strategy> BY_TYPE = List.of(
          new PodStrategy(), new ServiceStrategy(), new NamespaceStrategy(), new NodeStrategy(),
          new ReplicationControllerStrategy(), new ReplicaSetStrategy(), new DeploymentStrategy(),
          new ConfigMapStrategy(), new SecretStrategy(), new ServiceAccountStrategy(), new EndpointsStrategy(),
          new EndpointSliceStrategy(), new LeaseStrategy(), new EventStrategy(ResourceTypes.EVENTS),
          new EventStrategy(ResourceTypes.EVENTS_V1),
          new DaemonSetStrategy(),
          new StatefulSetStrategy(),
          new ControllerRevisionStrategy(),
          new JobStrategy(),
          new CronJobStrategy(),
          new PersistentVolumeStrategy(),
          new PersistentVolumeClaimStrategy(),
          new StorageClassStrategy(),
          new HorizontalPodAutoscalerStrategy(),
          new PodDisruptionBudgetStrategy(),
          new ResourceQuotaStrategy(),
          new LimitRangeStrategy(),
          RoleStrategy.roles(), RoleStrategy.clusterRoles(), RoleBindingStrategy.roleBindings(),
          RoleBindingStrategy.clusterRoleBindings(),
          new IngressStrategy(), new IngressClassStrategy(), new NetworkPolicyStrategy(),
          new PriorityClassStrategy(), new RuntimeClassStrategy(),
          new CertificateSigningRequestStrategy(), new ApiServiceStrategy(), FlowControlStrategies.flowSchemas(),
          FlowControlStrategies.priorityLevelConfigurations(),
          new CustomResourceDefinitionStrategy(new CustomResourceDefinitionValidation(
              (schema, path) -> StructuralSchema.parse(schema, path).errors()), Clock.systemUTC()),
          WebhookConfigurationStrategy.validating(), WebhookConfigurationStrategy.mutating(),
          ValidatingAdmissionPolicyStrategy.policies(), ValidatingAdmissionPolicyStrategy.bindings())
      .stream().collect(Collectors.toUnmodifiableMap(Strategy::type, Function.identity()));

  private Strategies() {}

  /** The strategy of a type. */
  public static Strategy forType(ResourceType type) {
    requireNonNull(type, "type is null");
    Strategy strategy = BY_TYPE.get(type);
    return strategy != null ? strategy : new DefaultStrategy(type);
  }
}
