package io.minicluster.apiserver.patch;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strategic-merge-patch metadata of the built-in kinds: which fields are merge lists, their merge keys, and the type
 * of nested structs, as declared by the {@code patchStrategy} / {@code patchMergeKey} struct tags in k8s.io/api and
 * k8s.io/apimachinery (meta/v1). Fields not listed behave like untagged Go fields: objects merge key by key, lists
 * are replaced.
 *
 * <p>The table is data: each type is a line of {@code field[=strategies[/mergeKey]][:Type]} entries. Only paths that
 * lead to a tagged field are spelled out.
 */
public final class PatchSchema {

  /** The list/map strategy of one field. */
  public enum Strategy {
    /** No tag: objects merge, lists are replaced. */
    NONE,
    /** {@code patchStrategy:"merge"}: lists merge by {@link Field#mergeKey()} (primitive lists are unioned). */
    MERGE,
    /** {@code patchStrategy:"replace"}: the patch value replaces the object. */
    REPLACE
  }

  /**
   * Metadata of one field.
   *
   * @param strategy list/map strategy
   * @param mergeKey merge key of a merge list of objects, "" for primitive lists and other fields
   * @param retainKeys whether the field also carries the retainKeys strategy (used by clients building patches; the
   *     server honours a {@code $retainKeys} directive wherever it appears)
   * @param typeName name of the struct type of the field (of its elements for lists), "" when untracked
   */
  public record Field(Strategy strategy, String mergeKey, boolean retainKeys, String typeName) {
    public Field {
      requireNonNull(strategy, "strategy is null");
      requireNonNull(mergeKey, "mergeKey is null");
      requireNonNull(typeName, "typeName is null");
    }

    /** The schema of the field's value (of its elements for lists). */
    public PatchSchema type() {
      return typeName.isEmpty() ? ANY : TYPES.get(typeName);
    }
  }

  private static final Field UNTAGGED = new Field(Strategy.NONE, "", false, "");

  /** A type with no tagged fields anywhere below it. */
  public static final PatchSchema ANY = new PatchSchema("", Map.of());

  private static final Map<String, PatchSchema> TYPES = new HashMap<>();
  private static final Map<String, String> KINDS = new HashMap<>();

  static {
    type("Object", "metadata:ObjectMeta");
    type("ObjectMeta", "ownerReferences=merge/uid finalizers=merge");
    type("ConditionsStatus", "conditions=merge/type");

    // core/v1
    type("PodTemplateSpec", "metadata:ObjectMeta spec:PodSpec");
    type("PodSpec", "volumes=merge,retainKeys/name initContainers=merge/name:Container"
        + " containers=merge/name:Container ephemeralContainers=merge/name:Container imagePullSecrets=merge/name"
        + " hostAliases=merge/ip topologySpreadConstraints=merge/topologyKey schedulingGates=merge/name"
        + " resourceClaims=merge,retainKeys/name evictionResponders=merge/name");
    type("Container", "ports=merge/containerPort env=merge/name volumeMounts=merge/mountPath"
        + " volumeDevices=merge/devicePath");
    type("PodStatus", "conditions=merge/type hostIPs=merge/ip podIPs=merge/ip"
        + " resourceClaimStatuses=merge,retainKeys/name"
        + " nodeAllocatableResourceClaimStatuses=merge/resourceClaimName:NodeAllocatableResourceClaimStatus");
    type("NodeAllocatableResourceClaimStatus", "mapping=merge/name overhead=merge/name");
    type("Pod", "metadata:ObjectMeta spec:PodSpec status:PodStatus");
    type("PodTemplate", "metadata:ObjectMeta template:PodTemplateSpec");
    type("TemplateSpec", "template:PodTemplateSpec");
    type("WorkloadWithTemplate", "metadata:ObjectMeta spec:TemplateSpec status:ConditionsStatus");
    type("Service", "metadata:ObjectMeta spec:ServiceSpec status:ConditionsStatus");
    type("ServiceSpec", "ports=merge/port");
    type("ServiceAccount", "metadata:ObjectMeta secrets=merge/name");
    type("Node", "metadata:ObjectMeta spec:NodeSpec status:NodeStatus");
    type("NodeSpec", "podCIDRs=merge");
    type("NodeStatus", "conditions=merge/type addresses=merge/type");
    type("ObjectWithConditions", "metadata:ObjectMeta status:ConditionsStatus");
    type("ComponentStatus", "metadata:ObjectMeta conditions=merge/type");

    // core/v1beta3 (pkg/api/v1beta3/types.go of Kubernetes 1.0): its own tags on the fields it had, v1's on the
    // fields it gained with v1
    type("PodTemplateSpecV1beta3", "metadata:ObjectMeta spec:PodSpecV1beta3");
    type("PodSpecV1beta3", "volumes=merge/name initContainers=merge/name:ContainerV1beta3"
        + " containers=merge/name:ContainerV1beta3 ephemeralContainers=merge/name:Container imagePullSecrets=merge/name"
        + " hostAliases=merge/ip topologySpreadConstraints=merge/topologyKey schedulingGates=merge/name"
        + " resourceClaims=merge,retainKeys/name");
    type("ContainerV1beta3", "ports=merge/containerPort env=merge/name volumeMounts=merge/name"
        + " volumeDevices=merge/devicePath");
    type("PodStatusV1beta3", "Condition=merge/type hostIPs=merge/ip podIPs=merge/ip"
        + " resourceClaimStatuses=merge,retainKeys/name");
    type("PodV1beta3", "metadata:ObjectMeta spec:PodSpecV1beta3 status:PodStatusV1beta3");
    type("TemplateSpecV1beta3", "template:PodTemplateSpecV1beta3");
    type("ReplicationControllerV1beta3", "metadata:ObjectMeta spec:TemplateSpecV1beta3 status:ConditionsStatus");
    type("ServiceV1beta3", "metadata:ObjectMeta status:ConditionsStatus");

    // apps/v1
    type("Deployment", "metadata:ObjectMeta spec:DeploymentSpec status:ConditionsStatus");
    type("DeploymentSpec", "template:PodTemplateSpec strategy=retainKeys");

    // batch/v1
    type("CronJob", "metadata:ObjectMeta spec:CronJobSpec");
    type("CronJobSpec", "jobTemplate:JobTemplateSpec");
    type("JobTemplateSpec", "metadata:ObjectMeta spec:TemplateSpec");

    // policy/v1, storage.k8s.io/v1
    type("PodDisruptionBudget", "metadata:ObjectMeta spec:PodDisruptionBudgetSpec status:ConditionsStatus");
    type("PodDisruptionBudgetSpec", "selector=replace");
    type("CSINode", "metadata:ObjectMeta spec:CSINodeSpec");
    type("CSINodeSpec", "drivers=merge/name");

    // admissionregistration.k8s.io/v1
    type("WebhookConfiguration", "metadata:ObjectMeta webhooks=merge/name");

    kind("v1", "Pod", "Pod");
    kind("v1", "PodTemplate", "PodTemplate");
    kind("v1", "ReplicationController", "WorkloadWithTemplate");
    kind("v1", "Service", "Service");
    kind("v1", "ServiceAccount", "ServiceAccount");
    kind("v1", "Node", "Node");
    kind("v1", "Namespace", "ObjectWithConditions");
    kind("v1", "PersistentVolumeClaim", "ObjectWithConditions");
    kind("v1", "ComponentStatus", "ComponentStatus");
    kind("v1beta3", "Pod", "PodV1beta3");
    kind("v1beta3", "ReplicationController", "ReplicationControllerV1beta3");
    kind("v1beta3", "Service", "ServiceV1beta3");
    kind("apps/v1", "Deployment", "Deployment");
    kind("apps/v1", "ReplicaSet", "WorkloadWithTemplate");
    kind("apps/v1", "StatefulSet", "WorkloadWithTemplate");
    kind("apps/v1", "DaemonSet", "WorkloadWithTemplate");
    kind("batch/v1", "Job", "WorkloadWithTemplate");
    kind("batch/v1", "CronJob", "CronJob");
    kind("autoscaling/v2", "HorizontalPodAutoscaler", "ObjectWithConditions");
    kind("autoscaling/v1", "HorizontalPodAutoscaler", "ObjectWithConditions");
    kind("policy/v1", "PodDisruptionBudget", "PodDisruptionBudget");
    kind("storage.k8s.io/v1", "CSINode", "CSINode");
    kind("networking.k8s.io/v1", "ServiceCIDR", "ObjectWithConditions");
    kind("apiregistration.k8s.io/v1", "APIService", "ObjectWithConditions");
    kind("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", "ObjectWithConditions");
    kind("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", "ObjectWithConditions");
    kind("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "WebhookConfiguration");
    kind("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "WebhookConfiguration");
  }

  private final String name;
  private final Map<String, Field> fields;

  private PatchSchema(String name, Map<String, Field> fields) {
    this.name = name;
    this.fields = Map.copyOf(fields);
  }

  /** The metadata of a field; untagged fields get strategy NONE and type {@link #ANY}. */
  public Field field(String fieldName) {
    return fields.getOrDefault(fieldName, UNTAGGED);
  }

  /** Name of the type, "" for {@link #ANY}. */
  public String name() {
    return name;
  }

  /**
   * The schema of a kind. Built-in kinds without tagged fields beyond ObjectMeta (ConfigMap, Secret, Endpoints,
   * EndpointSlice, Lease, Event, Scale, ...) get the generic object schema.
   */
  public static PatchSchema forKind(String apiVersion, String kind) {
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    return TYPES.get(KINDS.getOrDefault(apiVersion + "/" + kind, "Object"));
  }

  /** The schema of a named type, e.g. "PodSpec". */
  public static Optional<PatchSchema> named(String typeName) {
    return Optional.ofNullable(TYPES.get(typeName));
  }

  /** Names of all defined types (for consistency checks). */
  static Set<String> typeNames() {
    return Set.copyOf(TYPES.keySet());
  }

  /** Names of the types that fields refer to. */
  Set<String> referencedTypeNames() {
    Set<String> names = new HashSet<>();
    for (Field field : fields.values()) {
      if (!field.typeName().isEmpty()) {
        names.add(field.typeName());
      }
    }
    return names;
  }

  /**
   * Whether the apiserver accepts strategic merge patches for this group: built-in groups only. Custom resources
   * (groups with a dot that are not *.k8s.io) get 415, as the apiextensions handler does not offer the type.
   */
  public static boolean supportsStrategicMerge(String apiVersion) {
    requireNonNull(apiVersion, "apiVersion is null");
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      return true;
    }
    String group = apiVersion.substring(0, slash);
    return !group.contains(".") || group.endsWith(".k8s.io");
  }

  private static void type(String typeName, String definition) {
    Map<String, Field> fields = new LinkedHashMap<>();
    for (String entry : definition.trim().split("\\s+")) {
      String fieldPart = entry;
      String fieldType = "";
      int colon = entry.indexOf(':');
      if (colon >= 0) {
        fieldPart = entry.substring(0, colon);
        fieldType = entry.substring(colon + 1);
      }
      String fieldName = fieldPart;
      Strategy strategy = Strategy.NONE;
      String mergeKey = "";
      boolean retainKeys = false;
      int equals = fieldPart.indexOf('=');
      if (equals >= 0) {
        fieldName = fieldPart.substring(0, equals);
        String strategies = fieldPart.substring(equals + 1);
        int slash = strategies.indexOf('/');
        if (slash >= 0) {
          mergeKey = strategies.substring(slash + 1);
          strategies = strategies.substring(0, slash);
        }
        for (String one : strategies.split(",")) {
          switch (one) {
            case "merge" -> strategy = Strategy.MERGE;
            case "replace" -> strategy = Strategy.REPLACE;
            case "retainKeys" -> retainKeys = true;
            default -> throw new IllegalStateException("unknown strategy " + one + " in " + typeName);
          }
        }
      }
      fields.put(fieldName, new Field(strategy, mergeKey, retainKeys, fieldType));
    }
    if (TYPES.put(typeName, new PatchSchema(typeName, fields)) != null) {
      throw new IllegalStateException("type defined twice: " + typeName);
    }
  }

  private static void kind(String apiVersion, String kind, String typeName) {
    KINDS.put(apiVersion + "/" + kind, typeName);
  }

  @Override
  public String toString() {
    return "PatchSchema[" + name + "]";
  }
}
