package io.minicluster.apiserver.printers;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.apiextensions.CustomResources;
import java.util.Map;

/**
 * The catalog of printers, by API group and kind (as Kubernetes registers them per internal type, every version of
 * a group prints alike). Kinds without a printer get the apiserver's default NAME / CREATED AT table.
 */
public final class TablePrinters {
  private static final TablePrinter FALLBACK = SimplePrinters.fallback();
  private static final Map<String, TablePrinter> BY_GROUP_KIND = Map.ofEntries(
      Map.entry("/Pod", new PodPrinter()),
      Map.entry("metrics.k8s.io/NodeMetrics", MetricsPrinters.node()),
      Map.entry("metrics.k8s.io/PodMetrics", MetricsPrinters.pod()),
      Map.entry("/Node", new NodePrinter()),
      Map.entry("/Namespace", SimplePrinters.namespace()),
      Map.entry("/Service", new ServicePrinter()),
      Map.entry("/Endpoints", new EndpointsPrinter()),
      Map.entry("/ReplicationController", WorkloadPrinters.replicationController()),
      Map.entry("/ConfigMap", SimplePrinters.configMap()),
      Map.entry("/Secret", SimplePrinters.secret()),
      Map.entry("/ServiceAccount", SimplePrinters.serviceAccount()),
      Map.entry("/Event", new EventPrinter(false)),
      Map.entry("events.k8s.io/Event", new EventPrinter(true)),
      Map.entry("apps/Deployment", WorkloadPrinters.deployment()),
      Map.entry("apps/ReplicaSet", WorkloadPrinters.replicaSet()),
      Map.entry("apps/DaemonSet", WorkloadPrinters.daemonSet()),
      Map.entry("apps/StatefulSet", WorkloadPrinters.statefulSet()),
      Map.entry("apps/ControllerRevision", WorkloadPrinters.controllerRevision()),
      Map.entry("batch/Job", WorkloadPrinters.job()),
      Map.entry("batch/CronJob", WorkloadPrinters.cronJob()),
      Map.entry("autoscaling/HorizontalPodAutoscaler", AutoscalingPrinters.horizontalPodAutoscaler()),
      Map.entry("policy/PodDisruptionBudget", PodDisruptionBudgetPrinter.create()),
      Map.entry("/ResourceQuota", ResourceQuotaPrinter.create()),
      Map.entry("/PersistentVolume", StoragePrinters.persistentVolume()),
      Map.entry("/PersistentVolumeClaim", StoragePrinters.persistentVolumeClaim()),
      Map.entry("storage.k8s.io/StorageClass", StoragePrinters.storageClass()),
      Map.entry("discovery.k8s.io/EndpointSlice", new EndpointSlicePrinter()),
      Map.entry("coordination.k8s.io/Lease", SimplePrinters.lease()),
      Map.entry("rbac.authorization.k8s.io/RoleBinding", RbacPrinters.roleBinding()),
      Map.entry("rbac.authorization.k8s.io/ClusterRoleBinding", RbacPrinters.clusterRoleBinding()),
      Map.entry("networking.k8s.io/Ingress", NetworkingPrinters.ingress()),
      Map.entry("networking.k8s.io/IngressClass", NetworkingPrinters.ingressClass()),
      Map.entry("networking.k8s.io/NetworkPolicy", NetworkingPrinters.networkPolicy()),
      Map.entry("scheduling.k8s.io/PriorityClass", ClassPrinters.priorityClass()),
      Map.entry("node.k8s.io/RuntimeClass", ClassPrinters.runtimeClass()),
      Map.entry("certificates.k8s.io/CertificateSigningRequest", CertificatePrinters.certificateSigningRequest()),
      Map.entry("apiregistration.k8s.io/APIService", ApiServicePrinter.create()),
      Map.entry("flowcontrol.apiserver.k8s.io/FlowSchema", FlowControlPrinters.flowSchema()),
      Map.entry("flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
          FlowControlPrinters.priorityLevelConfiguration()),
      Map.entry("admissionregistration.k8s.io/ValidatingWebhookConfiguration",
          AdmissionRegistrationPrinters.webhookConfiguration()),
      Map.entry("admissionregistration.k8s.io/MutatingWebhookConfiguration",
          AdmissionRegistrationPrinters.webhookConfiguration()),
      Map.entry("admissionregistration.k8s.io/ValidatingAdmissionPolicy",
          AdmissionRegistrationPrinters.validatingAdmissionPolicy()),
      Map.entry("admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
          AdmissionRegistrationPrinters.validatingAdmissionPolicyBinding()));

  private TablePrinters() {}

  /**
   * The printer of a kind.
   *
   * @param apiVersion e.g. "v1" or "apps/v1"
   * @param kind e.g. "Pod"
   * @return the kind's printer, or the default NAME / CREATED AT printer
   */
  public static TablePrinter forKind(String apiVersion, String kind) {
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    return BY_GROUP_KIND.getOrDefault(group + "/" + kind, FALLBACK);
  }

  /**
   * The printer of a served type: a custom resource's version prints its additionalPrinterColumns, the built-in
   * kinds {@link #forKind their printer}.
   */
  public static TablePrinter forType(ResourceType type, CustomResources customResources) {
    return customResources.find(type)
        .<TablePrinter>map(served -> new CustomResourcePrinter(served.version().columns()))
        .orElseGet(() -> forKind(type.apiVersion(), type.kind()));
  }

  /** The printer used for kinds without one of their own. */
  public static TablePrinter fallback() {
    return FALLBACK;
  }
}
