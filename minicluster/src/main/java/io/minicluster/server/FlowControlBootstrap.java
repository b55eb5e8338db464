package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.registry.Registries;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The apiserver's API priority and fairness configuration objects (k8s.io/apiserver's flowcontrol/bootstrap, the
 * mandatory and suggested ones), created at every start when missing, with the annotation
 * {@value #AUTOUPDATE_SPEC} as the apiserver's ensurer writes; each FlowSchema's Dangling condition says whether its
 * priority level exists, as the APF controller sets it. The daemon serves them so that clients read what a cluster
 * has; it queues no request by them.
 */
final class FlowControlBootstrap {
  static final String AUTOUPDATE_SPEC = "apf.kubernetes.io/autoupdate-spec";
  private static final String ALL_AUTHENTICATED = "system:authenticated";
  private static final String ALL_UNAUTHENTICATED = "system:unauthenticated";

  private final Registries registries;
  private final Clock clock;
  private final ApiserverWrites writes;

  FlowControlBootstrap(Registries registries, Clock clock, ApiserverWrites writes) {
    this.registries = requireNonNull(registries, "registries is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.writes = requireNonNull(writes, "writes is null");
  }

  void run() {
    for (ObjectNode level : priorityLevels()) {
      createIfMissing(ResourceTypes.PRIORITY_LEVEL_CONFIGURATIONS, level);
    }
    GenericRegistry levels = registries.get(ResourceTypes.PRIORITY_LEVEL_CONFIGURATIONS);
    GenericRegistry schemas = registries.get(ResourceTypes.FLOW_SCHEMAS);
    for (ObjectNode schema : flowSchemas()) {
      createIfMissing(ResourceTypes.FLOW_SCHEMAS, schema);
      String name = Json.text(schema.get("metadata"), "name");
      String level = Json.text(schema.path("spec").path("priorityLevelConfiguration"), "name");
      boolean found = levels.find(null, level).isPresent();
      schemas.guaranteedUpdate(null, name, current -> dangling(current, level, found) ? current : null,
          writes.options(schemas, UpdateKind.STATUS), UpdateKind.STATUS);
    }
  }

  private void createIfMissing(ResourceType type, ObjectNode object) {
    GenericRegistry registry = registries.get(type);
    if (registry.find(null, Json.text(object.get("metadata"), "name")).isEmpty()) {
      registry.create(null, object, writes.options(registry, UpdateKind.MAIN));
    }
  }

  /** Sets the Dangling condition; false when it already says so. */
  private boolean dangling(ObjectNode schema, String level, boolean found) {
    String status = found ? "False" : "True";
    String reason = found ? "Found" : "NotFound";
    String message = found
        ? "This FlowSchema references the PriorityLevelConfiguration object named \"" + level + "\" and it exists"
        : "This FlowSchema references the PriorityLevelConfiguration object named \"" + level
            + "\" but there is no such object";
    ObjectNode current = (ObjectNode) Json.at(schema, "status");
    if (current != null) {
      for (var condition : Json.elements(current, "conditions")) {
        if ("Dangling".equals(Json.text(condition, "type")) && status.equals(Json.text(condition, "status"))
            && message.equals(Json.text(condition, "message"))) {
          return false;
        }
      }
    }
    ObjectNode statusNode = Json.object();
    statusNode.putArray("conditions").addObject().put("type", "Dangling").put("status", status)
        .put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()).put("reason", reason)
        .put("message", message);
    schema.set("status", statusNode);
    return true;
  }

  /** The mandatory (exempt, catch-all) and suggested priority levels. */
  static List<ObjectNode> priorityLevels() {
    List<ObjectNode> levels = new ArrayList<>();
    ObjectNode exempt = object("exempt");
    exempt.putObject("spec").put("type", "Exempt").putObject("exempt").put("nominalConcurrencyShares", 0)
        .put("lendablePercent", 0);
    levels.add(exempt);
    ObjectNode catchAll = object("catch-all");
    catchAll.putObject("spec").put("type", "Limited").putObject("limited").put("nominalConcurrencyShares", 5)
        .put("lendablePercent", 0).putObject("limitResponse").put("type", "Reject");
    levels.add(catchAll);
    levels.add(limited("system", 30, 33, 64, 6, 50));
    levels.add(limited("node-high", 40, 25, 64, 6, 50));
    levels.add(limited("leader-election", 10, 0, 16, 4, 50));
    levels.add(limited("workload-high", 40, 50, 128, 6, 50));
    levels.add(limited("workload-low", 100, 90, 128, 6, 50));
    levels.add(limited("global-default", 20, 50, 128, 6, 50));
    return levels;
  }

  /** The mandatory (exempt, catch-all) and suggested flow schemas. */
  static List<ObjectNode> flowSchemas() {
    List<ObjectNode> schemas = new ArrayList<>();
    schemas.add(schema("exempt", "exempt", 1, null, groups("system:masters"), true, null));
    schemas.add(schema("probes", "exempt", 2, null, groups(ALL_UNAUTHENTICATED, ALL_AUTHENTICATED), false,
        List.of("/healthz", "/readyz", "/livez")));
    schemas.add(schema("system-leader-election", "leader-election", 100, "ByUser",
        concat(users("system:kube-controller-manager", "system:kube-scheduler"), kubeSystemServiceAccounts()),
        false, null));
    schemas.add(schema("endpoint-controller", "workload-high", 150, "ByUser",
        concat(users("system:kube-controller-manager"), serviceAccount("kube-system", "endpoint-controller")),
        false, null));
    schemas.add(schema("workload-leader-election", "leader-election", 200, "ByUser", kubeSystemServiceAccounts(),
        false, null));
    schemas.add(schema("system-node-high", "node-high", 400, "ByUser", groups("system:nodes"), false, null));
    schemas.add(schema("system-nodes", "system", 500, "ByUser", groups("system:nodes"), true, null));
    schemas.add(schema("kube-controller-manager", "workload-high", 800, "ByNamespace",
        users("system:kube-controller-manager"), true, null));
    schemas.add(schema("kube-scheduler", "workload-high", 800, "ByNamespace", users("system:kube-scheduler"), true,
        null));
    schemas.add(schema("kube-system-service-accounts", "workload-high", 900, "ByNamespace",
        kubeSystemServiceAccounts(), true, null));
    schemas.add(schema("service-accounts", "workload-low", 9000, "ByUser", groups("system:serviceaccounts"), true,
        null));
    schemas.add(schema("global-default", "global-default", 9900, "ByUser",
        groups(ALL_UNAUTHENTICATED, ALL_AUTHENTICATED), true, null));
    schemas.add(schema("catch-all", "catch-all", 10000, "ByUser", groups(ALL_UNAUTHENTICATED, ALL_AUTHENTICATED),
        true, null));
    return schemas;
  }

  private static ObjectNode object(String name) {
    ObjectNode object = Json.object();
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    metadata.putObject("annotations").put(AUTOUPDATE_SPEC, "true");
    return object;
  }

  private static ObjectNode limited(String name, int shares, int lendable, int queues, int handSize, int length) {
    ObjectNode level = object(name);
    ObjectNode limited = level.putObject("spec").put("type", "Limited").putObject("limited");
    limited.put("nominalConcurrencyShares", shares).put("lendablePercent", lendable);
    limited.putObject("limitResponse").put("type", "Queue").putObject("queuing").put("queues", queues)
        .put("handSize", handSize).put("queueLengthLimit", length);
    return level;
  }

  /**
   * A flow schema whose subjects match every resource request (and every non-resource one) when {@code all}, else the
   * non-resource GETs of {@code paths}, or, without paths, the leader-election and node resources of its kind.
   */
  private static ObjectNode schema(String name, String level, int precedence, String distinguisher,
      List<ObjectNode> subjects, boolean all, List<String> paths) {
    ObjectNode schema = object(name);
    ObjectNode spec = schema.putObject("spec");
    spec.putObject("priorityLevelConfiguration").put("name", level);
    spec.put("matchingPrecedence", precedence);
    if (distinguisher != null) {
      spec.putObject("distinguisherMethod").put("type", distinguisher);
    }
    ObjectNode rule = spec.putArray("rules").addObject();
    ArrayNode subjectArray = rule.putArray("subjects");
    subjects.forEach(subjectArray::add);
    if (all) {
      ObjectNode resources = rule.putArray("resourceRules").addObject();
      strings(resources, "verbs", "*");
      strings(resources, "apiGroups", "*");
      strings(resources, "resources", "*");
      resources.put("clusterScope", true);
      strings(resources, "namespaces", "*");
      ObjectNode nonResources = rule.putArray("nonResourceRules").addObject();
      strings(nonResources, "verbs", "*");
      strings(nonResources, "nonResourceURLs", "*");
    } else if (paths != null) {
      ObjectNode nonResources = rule.putArray("nonResourceRules").addObject();
      strings(nonResources, "verbs", "get");
      strings(nonResources, "nonResourceURLs", paths.toArray(String[]::new));
    } else if (name.equals("system-node-high")) {
      ArrayNode resources = rule.putArray("resourceRules");
      ObjectNode nodes = resources.addObject();
      strings(nodes, "verbs", "*");
      strings(nodes, "apiGroups", "");
      strings(nodes, "resources", "nodes", "nodes/status");
      nodes.put("clusterScope", true);
      ObjectNode leases = resources.addObject();
      strings(leases, "verbs", "*");
      strings(leases, "apiGroups", "coordination.k8s.io");
      strings(leases, "resources", "leases");
      strings(leases, "namespaces", "kube-node-lease");
    } else {
      ObjectNode resources = rule.putArray("resourceRules").addObject();
      strings(resources, "verbs", "get", "create", "update");
      boolean endpoints = name.equals("endpoint-controller");
      strings(resources, "apiGroups", endpoints ? "" : "coordination.k8s.io");
      strings(resources, "resources", endpoints ? "endpoints" : "leases");
      strings(resources, "namespaces", name.equals("system-leader-election") ? "kube-system" : "*");
    }
    return schema;
  }

  private static void strings(ObjectNode node, String field, String... values) {
    ArrayNode array = node.putArray(field);
    for (String value : values) {
      array.add(value);
    }
  }

  private static List<ObjectNode> groups(String... names) {
    return subjects("Group", "group", names);
  }

  private static List<ObjectNode> users(String... names) {
    return subjects("User", "user", names);
  }

  /** Subjects of a kind whose one field (user, group) holds a name. */
  private static List<ObjectNode> subjects(String kind, String field, String... names) {
    List<ObjectNode> subjects = new ArrayList<>();
    for (String name : names) {
      ObjectNode subject = Json.object().put("kind", kind);
      subject.putObject(field).put("name", name);
      subjects.add(subject);
    }
    return subjects;
  }

  private static List<ObjectNode> serviceAccount(String namespace, String name) {
    ObjectNode subject = Json.object().put("kind", "ServiceAccount");
    subject.putObject("serviceAccount").put("namespace", namespace).put("name", name);
    return List.of(subject);
  }

  private static List<ObjectNode> kubeSystemServiceAccounts() {
    return serviceAccount("kube-system", "*");
  }

  private static List<ObjectNode> concat(List<ObjectNode> first, List<ObjectNode> second) {
    List<ObjectNode> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
