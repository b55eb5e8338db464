package io.minicluster.apiserver.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The ClusterRoles and ClusterRoleBindings Kubernetes bootstraps (plugin/pkg/auth/authorizer/rbac/bootstrappolicy),
 * those that matter on a single-node appliance whose own components do not go through HTTP: cluster-admin bound to
 * system:masters; the user-facing admin, edit and view, aggregated from the system:aggregate-to-* roles; discovery,
 * basic-user and public-info-viewer for every user; service-account-issuer-discovery for service accounts. Each is
 * labelled {@code kubernetes.io/bootstrapping=rbac-defaults} and annotated for auto-update.
 */
public final class BootstrapPolicy {
  public static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
  public static final String AGGREGATE_PREFIX = "rbac.authorization.k8s.io/aggregate-to-";
  private static final String RBAC = "rbac.authorization.k8s.io";
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
  private static final List<String> READ_WRITE = List.of("create", "delete", "deletecollection", "get", "list",
      "patch", "update", "watch");

  private BootstrapPolicy() {}

  public static List<ObjectNode> clusterRoles() {
    List<ObjectNode> roles = new ArrayList<>();
    roles.add(role("cluster-admin", null,
        resources(List.of("*"), List.of("*"), List.of("*")), urls(List.of("*"), List.of("*"))));
    roles.add(role("system:discovery", null, urls(List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*",
        "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));
    roles.add(role("system:monitoring", null, urls(List.of("get"), List.of("/healthz", "/healthz/*", "/livez",
        "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"))));
    roles.add(role("system:basic-user", null,
        resources(List.of("create"), List.of("authorization.k8s.io"),
            List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")),
        resources(List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews"))));
    roles.add(role("system:public-info-viewer", null,
        urls(List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version", "/version/"))));
    roles.add(role("system:service-account-issuer-discovery", null, urls(List.of("get"),
        List.of("/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks",
            "/openid/v1/jwks/"))));
    roles.add(aggregated("admin", "admin", null));
    roles.add(aggregated("edit", "edit", "admin"));
    roles.add(aggregated("view", "view", "edit"));
    roles.add(role("system:aggregate-to-admin", "admin",
        resources(List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews")),
        resources(READ_WRITE, List.of(RBAC), List.of("rolebindings", "roles"))));
    roles.add(role("system:aggregate-to-edit", "edit",
        resources(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy")),
        resources(List.of("create"), List.of(""), List.of("pods/eviction")),
        resources(WRITE, List.of(""), List.of("configmaps", "events", "persistentvolumeclaims",
            "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
            "services/proxy")),
        resources(List.of("create"), List.of(""), List.of("serviceaccounts/token")),
        resources(WRITE, List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback",
            "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale")),
        resources(WRITE, List.of("autoscaling"), List.of("horizontalpodautoscalers")),
        resources(WRITE, List.of("batch"), List.of("cronjobs", "jobs")),
        resources(WRITE, List.of("extensions"), List.of("daemonsets", "deployments", "deployments/rollback",
            "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
            "replicationcontrollers/scale")),
        resources(WRITE, List.of("policy"), List.of("poddisruptionbudgets")),
        resources(WRITE, List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies")),
        resources(READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
            "services/proxy")),
        resources(List.of("impersonate"), List.of(""), List.of("serviceaccounts"))));
    roles.add(role("system:aggregate-to-view", "view",
        resources(READ, List.of(""), List.of("configmaps", "endpoints", "persistentvolumeclaims",
            "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale",
            "serviceaccounts", "services", "services/status")),
        resources(READ, List.of(""), List.of("bindings", "events", "limitranges", "namespaces/status", "pods/log",
            "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status")),
        resources(READ, List.of(""), List.of("namespaces")),
        resources(READ, List.of("discovery.k8s.io"), List.of("endpointslices")),
        resources(READ, List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status",
            "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
            "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status")),
        resources(READ, List.of("autoscaling"), List.of("horizontalpodautoscalers",
            "horizontalpodautoscalers/status")),
        resources(READ, List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status")),
        resources(READ, List.of("extensions"), List.of("daemonsets", "daemonsets/status", "deployments",
            "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
            "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale")),
        resources(READ, List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status")),
        resources(READ, List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status",
            "networkpolicies"))));
    return roles;
  }

  public static List<ObjectNode> clusterRoleBindings() {
    return List.of(
        binding("cluster-admin", "cluster-admin", RbacAuthorizer.MASTERS),
        binding("system:discovery", "system:discovery", "system:authenticated"),
        binding("system:monitoring", "system:monitoring", "system:monitoring"),
        binding("system:basic-user", "system:basic-user", "system:authenticated"),
        binding("system:public-info-viewer", "system:public-info-viewer", "system:authenticated",
            "system:unauthenticated"),
        binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery",
            "system:serviceaccounts"));
  }

  private static ObjectNode metadata(ObjectNode object, String name) {
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    metadata.putObject("annotations").put(AUTOUPDATE, "true");
    metadata.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
    return metadata;
  }


  /** A cluster role with rules; {@code aggregateTo} labels it into that aggregated role. */
  private static ObjectNode role(String name, String aggregateTo, ObjectNode... rules) {
    ObjectNode role = Json.object();
    role.put("apiVersion", RBAC + "/v1");
    role.put("kind", "ClusterRole");
    ObjectNode metadata = metadata(role, name);
    if (aggregateTo != null) {
      ((ObjectNode) metadata.get("labels")).put(AGGREGATE_PREFIX + aggregateTo, "true");
    }
    for (ObjectNode rule : rules) {
      role.withArray("rules").add(rule);
    }
    return role;
  }

  /** A cluster role made of the roles labelled aggregate-to-{@code from}, itself aggregated into {@code into}. */
  private static ObjectNode aggregated(String name, String from, String into) {
    ObjectNode role = role(name, into);
    role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
        .put(AGGREGATE_PREFIX + from, "true");
    role.putArray("rules");
    return role;
  }

  private static ObjectNode resources(List<String> verbs, List<String> groups, List<String> resources) {
    return new PolicyRule(verbs, groups, resources, List.of(), List.of()).toJson();
  }

  private static ObjectNode urls(List<String> verbs, List<String> urls) {
    return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls).toJson();
  }

  private static ObjectNode binding(String name, String role, String... groups) {
    ObjectNode binding = Json.object();
    binding.put("apiVersion", RBAC + "/v1");
    binding.put("kind", "ClusterRoleBinding");
    metadata(binding, name);
    ObjectNode roleRef = binding.putObject("roleRef");
    roleRef.put("apiGroup", RBAC);
    roleRef.put("kind", "ClusterRole");
    roleRef.put("name", role);
    for (String group : groups) {
      ObjectNode subject = binding.withArray("subjects").addObject();
      subject.put("apiGroup", RBAC);
      subject.put("kind", "Group");
      subject.put("name", group);
    }
    return binding;
  }
}
