package io.minicluster.api;

import io.minicluster.api.ResourceType.Subresource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalog of served resources. Discovery, OpenAPI, routing and the registries are all driven by it. */
public final class ResourceTypes {
  private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");

  public static final ResourceType NAMESPACES = type("", "v1", "Namespace", "namespaces", "namespace", false,
      List.of("ns"), List.of(), status("", "v1", "Namespace"), new Subresource("finalize", "", "v1", "Namespace", List.of("update")));
  public static final ResourceType NODES = type("", "v1", "Node", "nodes", "node", false,
      List.of("no"), List.of(), status("", "v1", "Node"), new Subresource("proxy", "", "v1", "NodeProxyOptions", List.of("create", "delete", "get", "patch", "update")));
  public static final ResourceType PODS = type("", "v1", "Pod", "pods", "pod", true,
      List.of("po"), List.of("all"),
      status("", "v1", "Pod"),
      new Subresource("binding", "", "v1", "Binding", List.of("create")),
      new Subresource("eviction", "policy", "v1", "Eviction", List.of("create")),
      new Subresource("log", "", "v1", "Pod", List.of("get")),
      new Subresource("exec", "", "v1", "PodExecOptions", List.of("create", "get")),
      new Subresource("attach", "", "v1", "PodAttachOptions", List.of("create", "get")),
      new Subresource("portforward", "", "v1", "PodPortForwardOptions", List.of("create", "get")),
      new Subresource("proxy", "", "v1", "PodProxyOptions", List.of("create", "delete", "get", "patch", "update")));
  public static final ResourceType BINDINGS = type("", "v1", "Binding", "bindings", "binding", true,
      List.of(), List.of());
  public static final ResourceType SERVICES = type("", "v1", "Service", "services", "service", true,
      List.of("svc"), List.of("all"), status("", "v1", "Service"),
      new Subresource("proxy", "", "v1", "ServiceProxyOptions", List.of("create", "delete", "get", "patch", "update")));
  public static final ResourceType ENDPOINTS = type("", "v1", "Endpoints", "endpoints", "endpoints", true,
      List.of("ep"), List.of());
  public static final ResourceType REPLICATION_CONTROLLERS = type("", "v1", "ReplicationController",
      "replicationcontrollers", "replicationcontroller", true, List.of("rc"), List.of("all"),
      status("", "v1", "ReplicationController"), scale());
  public static final ResourceType CONFIG_MAPS = type("", "v1", "ConfigMap", "configmaps", "configmap", true,
      List.of("cm"), List.of());
  public static final ResourceType SECRETS = type("", "v1", "Secret", "secrets", "secret", true,
      List.of(), List.of());
  public static final ResourceType SERVICE_ACCOUNTS = type("", "v1", "ServiceAccount", "serviceaccounts",
      "serviceaccount", true, List.of("sa"), List.of(),
      new Subresource("token", "authentication.k8s.io", "v1", "TokenRequest", List.of("create")));
  public static final ResourceType EVENTS = type("", "v1", "Event", "events", "event", true,
      List.of("ev"), List.of());
  public static final ResourceType DEPLOYMENTS = type("apps", "v1", "Deployment", "deployments", "deployment", true,
      List.of("deploy"), List.of("all"), status("apps", "v1", "Deployment"), scale());
  public static final ResourceType REPLICA_SETS = type("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true,
      List.of("rs"), List.of("all"), status("apps", "v1", "ReplicaSet"), scale());
  public static final ResourceType DAEMON_SETS = type("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true,
      List.of("ds"), List.of("all"), status("apps", "v1", "DaemonSet"));
  public static final ResourceType STATEFUL_SETS = type("apps", "v1", "StatefulSet", "statefulsets", "statefulset",
      true, List.of("sts"), List.of("all"), status("apps", "v1", "StatefulSet"), scale());
  public static final ResourceType CONTROLLER_REVISIONS = type("apps", "v1", "ControllerRevision",
      "controllerrevisions", "controllerrevision", true, List.of(), List.of());
  public static final ResourceType JOBS = type("batch", "v1", "Job", "jobs", "job", true,
      List.of(), List.of("all"), status("batch", "v1", "Job"));
  public static final ResourceType CRON_JOBS = type("batch", "v1", "CronJob", "cronjobs", "cronjob", true,
      List.of("cj"), List.of("all"), status("batch", "v1", "CronJob"));
  public static final ResourceType HORIZONTAL_POD_AUTOSCALERS = type("autoscaling", "v2", "HorizontalPodAutoscaler",
      "horizontalpodautoscalers", "horizontalpodautoscaler", true, List.of("hpa"), List.of("all"),
      status("autoscaling", "v2", "HorizontalPodAutoscaler"));
  public static final ResourceType PERSISTENT_VOLUMES = type("", "v1", "PersistentVolume", "persistentvolumes",
      "persistentvolume", false, List.of("pv"), List.of(), status("", "v1", "PersistentVolume"));
  public static final ResourceType PERSISTENT_VOLUME_CLAIMS = type("", "v1", "PersistentVolumeClaim",
      "persistentvolumeclaims", "persistentvolumeclaim", true, List.of("pvc"), List.of(),
      status("", "v1", "PersistentVolumeClaim"));
  public static final ResourceType STORAGE_CLASSES = type("storage.k8s.io", "v1", "StorageClass", "storageclasses",
      "storageclass", false, List.of("sc"), List.of());
  public static final ResourceType RESOURCE_QUOTAS = type("", "v1", "ResourceQuota", "resourcequotas",
      "resourcequota", true, List.of("quota"), List.of(), status("", "v1", "ResourceQuota"));
  public static final ResourceType LIMIT_RANGES = type("", "v1", "LimitRange", "limitranges", "limitrange", true,
      List.of("limits"), List.of());
  public static final ResourceType POD_DISRUPTION_BUDGETS = type("policy", "v1", "PodDisruptionBudget",
      "poddisruptionbudgets", "poddisruptionbudget", true, List.of("pdb"), List.of(),
      status("policy", "v1", "PodDisruptionBudget"));
  public static final ResourceType INGRESSES = type("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true,
      List.of("ing"), List.of(), status("networking.k8s.io", "v1", "Ingress"));
  public static final ResourceType INGRESS_CLASSES = type("networking.k8s.io", "v1", "IngressClass", "ingressclasses",
      "ingressclass", false, List.of(), List.of());
  public static final ResourceType NETWORK_POLICIES = type("networking.k8s.io", "v1", "NetworkPolicy",
      "networkpolicies", "networkpolicy", true, List.of("netpol"), List.of());
  public static final ResourceType PRIORITY_CLASSES = type("scheduling.k8s.io", "v1", "PriorityClass",
      "priorityclasses", "priorityclass", false, List.of("pc"), List.of());
  public static final ResourceType RUNTIME_CLASSES = type("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses",
      "runtimeclass", false, List.of(), List.of());
  public static final ResourceType ENDPOINT_SLICES = type("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices",
      "endpointslice", true, List.of(), List.of());
  public static final ResourceType LEASES = type("coordination.k8s.io", "v1", "Lease", "leases", "lease", true,
      List.of(), List.of());
  public static final ResourceType EVENTS_V1 = type("events.k8s.io", "v1", "Event", "events", "event", true,
      List.of("ev"), List.of());
  public static final ResourceType SELF_SUBJECT_REVIEWS = type("authentication.k8s.io", "v1", "SelfSubjectReview",
      "selfsubjectreviews", "selfsubjectreview", false, List.of(), List.of());
  public static final ResourceType SELF_SUBJECT_ACCESS_REVIEWS = type("authorization.k8s.io", "v1",
      "SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview", false, List.of(), List.of());
  public static final ResourceType SELF_SUBJECT_RULES_REVIEWS = type("authorization.k8s.io", "v1",
      "SelfSubjectRulesReview", "selfsubjectrulesreviews", "selfsubjectrulesreview", false, List.of(), List.of());

  public static final ResourceType SUBJECT_ACCESS_REVIEWS = type("authorization.k8s.io", "v1",
      "SubjectAccessReview", "subjectaccessreviews", "subjectaccessreview", false, List.of(), List.of());
  public static final ResourceType LOCAL_SUBJECT_ACCESS_REVIEWS = type("authorization.k8s.io", "v1",
      "LocalSubjectAccessReview", "localsubjectaccessreviews", "localsubjectaccessreview", true, List.of(), List.of());
  public static final ResourceType CLUSTER_ROLES = type("rbac.authorization.k8s.io", "v1", "ClusterRole",
      "clusterroles", "clusterrole", false, List.of(), List.of());
  public static final ResourceType CLUSTER_ROLE_BINDINGS = type("rbac.authorization.k8s.io", "v1",
      "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, List.of(), List.of());
  public static final ResourceType ROLES = type("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true,
      List.of(), List.of());
  public static final ResourceType ROLE_BINDINGS = type("rbac.authorization.k8s.io", "v1", "RoleBinding",
      "rolebindings", "rolebinding", true, List.of(), List.of());
  public static final ResourceType CERTIFICATE_SIGNING_REQUESTS = type("certificates.k8s.io", "v1",
      "CertificateSigningRequest", "certificatesigningrequests", "certificatesigningrequest", false, List.of("csr"),
      List.of(), status("certificates.k8s.io", "v1", "CertificateSigningRequest"),
      new Subresource("approval", "certificates.k8s.io", "v1", "CertificateSigningRequest", GET_PATCH_UPDATE));
  public static final ResourceType API_SERVICES = type("apiregistration.k8s.io", "v1", "APIService", "apiservices",
      "apiservice", false, List.of(), List.of("api-extensions"), status("apiregistration.k8s.io", "v1", "APIService"));
  public static final ResourceType FLOW_SCHEMAS = type("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema",
      "flowschemas", "flowschema", false, List.of(), List.of(),
      status("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"));
  public static final ResourceType PRIORITY_LEVEL_CONFIGURATIONS = type("flowcontrol.apiserver.k8s.io", "v1",
      "PriorityLevelConfiguration", "prioritylevelconfigurations", "prioritylevelconfiguration", false, List.of(),
      List.of(), status("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"));
  public static final ResourceType CUSTOM_RESOURCE_DEFINITIONS = type("apiextensions.k8s.io", "v1",
      "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false,
      List.of("crd", "crds"), List.of("api-extensions"),
      status("apiextensions.k8s.io", "v1", "CustomResourceDefinition"));

  public static final ResourceType VALIDATING_WEBHOOK_CONFIGURATIONS = type("admissionregistration.k8s.io", "v1",
      "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "validatingwebhookconfiguration", false,
      List.of(), List.of("api-extensions"));
  public static final ResourceType MUTATING_WEBHOOK_CONFIGURATIONS = type("admissionregistration.k8s.io", "v1",
      "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", false,
      List.of(), List.of("api-extensions"));
  public static final ResourceType VALIDATING_ADMISSION_POLICIES = type("admissionregistration.k8s.io", "v1",
      "ValidatingAdmissionPolicy", "validatingadmissionpolicies", "validatingadmissionpolicy", false,
      List.of(), List.of("api-extensions"), status("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"));
  public static final ResourceType VALIDATING_ADMISSION_POLICY_BINDINGS = type("admissionregistration.k8s.io", "v1",
      "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding",
      false, List.of(), List.of("api-extensions"));

  // core/v1beta3, the version of the 2015 tutorials: older views of the v1 pods, services and replication controllers
  // (stored once, as v1), with the subresources that version had
  public static final ResourceType PODS_V1BETA3 = type("", "v1beta3", "Pod", "pods", "pod", true,
      List.of("po"), List.of("all"),
      status("", "v1beta3", "Pod"),
      new Subresource("binding", "", "v1beta3", "Binding", List.of("create")),
      new Subresource("log", "", "v1beta3", "Pod", List.of("get")),
      new Subresource("exec", "", "v1beta3", "PodExecOptions", List.of("create", "get")),
      new Subresource("attach", "", "v1beta3", "PodAttachOptions", List.of("create", "get")),
      new Subresource("portforward", "", "v1beta3", "PodPortForwardOptions", List.of("create", "get")));
  public static final ResourceType SERVICES_V1BETA3 = type("", "v1beta3", "Service", "services", "service", true,
      List.of("svc"), List.of("all"), status("", "v1beta3", "Service"));
  public static final ResourceType REPLICATION_CONTROLLERS_V1BETA3 = type("", "v1beta3", "ReplicationController",
      "replicationcontrollers", "replicationcontroller", true, List.of("rc"), List.of("all"),
      status("", "v1beta3", "ReplicationController"));
  // autoscaling/v1, the version kubectl autoscale wrote until 1.23: a view of the stored v2 autoscalers
  public static final ResourceType HORIZONTAL_POD_AUTOSCALERS_V1 = type("autoscaling", "v1",
      "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true, List.of("hpa"),
      List.of("all"), status("autoscaling", "v1", "HorizontalPodAutoscaler"));

  /**
   * Every resource in the version that stores it (one type per group and resource), in discovery order: what the
   * registries hold and the controllers watch.
   */
  public static final List<ResourceType> ALL = List.of(
      NAMESPACES, NODES, PODS, BINDINGS, SERVICES, ENDPOINTS, REPLICATION_CONTROLLERS, CONFIG_MAPS, SECRETS,
      RESOURCE_QUOTAS, LIMIT_RANGES,
      SERVICE_ACCOUNTS, EVENTS, PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, DEPLOYMENTS, REPLICA_SETS, DAEMON_SETS,
      STATEFUL_SETS, CONTROLLER_REVISIONS, HORIZONTAL_POD_AUTOSCALERS, JOBS, CRON_JOBS, ENDPOINT_SLICES, LEASES,
      POD_DISRUPTION_BUDGETS, EVENTS_V1, STORAGE_CLASSES,
      SELF_SUBJECT_REVIEWS, SELF_SUBJECT_ACCESS_REVIEWS, SELF_SUBJECT_RULES_REVIEWS, SUBJECT_ACCESS_REVIEWS,
      LOCAL_SUBJECT_ACCESS_REVIEWS, CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS, ROLES, ROLE_BINDINGS,
      INGRESSES, INGRESS_CLASSES, NETWORK_POLICIES, PRIORITY_CLASSES, RUNTIME_CLASSES,
      CERTIFICATE_SIGNING_REQUESTS, API_SERVICES, FLOW_SCHEMAS, PRIORITY_LEVEL_CONFIGURATIONS,
      CUSTOM_RESOURCE_DEFINITIONS,
      VALIDATING_WEBHOOK_CONFIGURATIONS, MUTATING_WEBHOOK_CONFIGURATIONS, VALIDATING_ADMISSION_POLICIES,
      VALIDATING_ADMISSION_POLICY_BINDINGS);

  // metrics.k8s.io/v1beta1 as metrics-server serves it (an aggregated API on a real cluster): read-only views of the
  // daemon's usage samples, not stored and not in the registries
  public static final ResourceType NODE_METRICS = type("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", "", false,
      List.of(), List.of());
  public static final ResourceType POD_METRICS = type("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", "", true,
      List.of(), List.of());

  /** The types served by components other than the registries (metrics.k8s.io), listed by discovery. */
  public static final List<ResourceType> AGGREGATED = List.of(NODE_METRICS, POD_METRICS);

  /** Older versions of resources in {@link #ALL}, served as views of the stored version. */
  public static final List<ResourceType> OLDER_VERSIONS = List.of(
      PODS_V1BETA3, SERVICES_V1BETA3, REPLICATION_CONTROLLERS_V1BETA3, HORIZONTAL_POD_AUTOSCALERS_V1);

  /**
   * Every served type, in discovery order: {@link #ALL}, each group's older versions after its stored ones (so the
   * version listed first, the preferred one, is the stored one).
   */
  public static final List<ResourceType> SERVED = served();

  private ResourceTypes() {}

  private static List<ResourceType> served() {
    List<ResourceType> served = new ArrayList<>(ALL);
    // older versions go after the last stored type of their group
    for (ResourceType older : OLDER_VERSIONS) {
      int last = -1;
      for (int i = 0; i < served.size(); i++) {
        if (served.get(i).group().equals(older.group())) {
          last = i;
        }
      }
      served.add(last + 1, older);
    }
    return List.copyOf(served);
  }

  private static ResourceType type(String group, String version, String kind, String plural, String singular,
      boolean namespaced, List<String> shortNames, List<String> categories, Subresource... subresources) {
    return new ResourceType(group, version, kind, plural, singular, namespaced, shortNames, categories,
        List.of(subresources));
  }

  private static Subresource status(String group, String version, String kind) {
    return new Subresource("status", group, version, kind, GET_PATCH_UPDATE);
  }

  private static Subresource scale() {
    return new Subresource("scale", "autoscaling", "v1", "Scale", GET_PATCH_UPDATE);
  }

  /** The type served at group/version/plural. */
  public static Optional<ResourceType> find(String group, String version, String plural) {
    for (ResourceType type : SERVED) {
      if (type.group().equals(group) && type.version().equals(version) && type.plural().equals(plural)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** The served type of an apiVersion and kind, e.g. ("apps/v1", "Deployment"). */
  public static Optional<ResourceType> forKind(String apiVersion, String kind) {
    for (ResourceType type : SERVED) {
      if (type.apiVersion().equals(apiVersion) && type.kind().equals(kind)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * The stored version of a served type: the type of {@link #ALL} with the same group and resource (the type itself
   * for types of {@link #ALL}).
   */
  public static ResourceType storedVersion(ResourceType type) {
    for (ResourceType stored : ALL) {
      if (stored.group().equals(type.group()) && stored.plural().equals(type.plural())) {
        return stored;
      }
    }
    throw new IllegalArgumentException("not a served type: " + type.apiVersion() + " " + type.plural());
  }

  /**
   * Group name to its versions (the preferred one first) to its resources, in discovery order; "" is the core group.
   */
  public static Map<String, Map<String, List<ResourceType>>> byGroupVersion() {
    return byGroupVersion(SERVED);
  }

  /** {@link #byGroupVersion()} of {@code types}, in their order. */
  public static Map<String, Map<String, List<ResourceType>>> byGroupVersion(List<ResourceType> types) {
    Map<String, Map<String, List<ResourceType>>> result = new LinkedHashMap<>();
    for (ResourceType type : types) {
      result.computeIfAbsent(type.group(), g -> new LinkedHashMap<>())
          .computeIfAbsent(type.version(), v -> new ArrayList<>())
          .add(type);
    }
    return Collections.unmodifiableMap(result);
  }
}
