package io.minicluster.api.core.helper;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Defaulting of pod specs as pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container, probes,
 * volumes, ports), shared by pods and the pod templates of controllers. Idempotent.
 */
public final class PodSpecDefaults {
  public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
  public static final long DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
  public static final String DEFAULT_SCHEDULER = "default-scheduler";
  public static final int DEFAULT_MODE = 0644;

  private static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
      "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
      "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
      "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
      "ephemeral", "image");

  private PodSpecDefaults() {}

  /** The names of the volume source fields of a volume. */
  public static List<String> volumeSources() {
    return VOLUME_SOURCES;
  }

  /**
   * Applies {@link #apply} to the pod spec of the template of a workload's spec ({@code template.spec}, created if
   * absent), when the workload has a template.
   */
  public static void applyToTemplate(ObjectNode workloadSpec) {
    ObjectNode template = Json.object(workloadSpec, "template");
    if (template != null) {
      apply(Json.with(template, "spec"));
    }
  }

  /** Applies SetDefaults_PodSpec and everything below it to a pod spec (or a template's spec). */
  public static void apply(ObjectNode spec) {
    requireNonNull(spec, "spec is null");
    Json.defaultText(spec, "dnsPolicy", "ClusterFirst");
    Json.defaultText(spec, "restartPolicy", "Always");
    if (!Json.has(spec, "securityContext")) {
      spec.putObject("securityContext");
    }
    Json.defaultNumber(spec, "terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    Json.defaultText(spec, "schedulerName", DEFAULT_SCHEDULER);
    // v1 conversion keeps the deprecated serviceAccount field in step with serviceAccountName.
    String serviceAccountName = Json.text(spec, "serviceAccountName");
    String serviceAccount = Json.text(spec, "serviceAccount");
    if (serviceAccountName.isEmpty() && !serviceAccount.isEmpty()) {
      spec.put("serviceAccountName", serviceAccount);
    } else if (!serviceAccountName.isEmpty()) {
      spec.put("serviceAccount", serviceAccountName);
    }
    boolean hostNetwork = Json.bool(spec, "hostNetwork");
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (ObjectNode container : Json.objects(spec, list)) {
        applyContainer(container, hostNetwork);
      }
    }
    for (ObjectNode volume : Json.objects(spec, "volumes")) {
      applyVolume(volume);
    }
  }

  /** SetDefaults_Container plus its ports, env, probes and lifecycle handlers. */
  public static void applyContainer(ObjectNode container, boolean hostNetwork) {
    Json.defaultText(container, "terminationMessagePath", TERMINATION_MESSAGE_PATH);
    Json.defaultText(container, "terminationMessagePolicy", "File");
    Json.defaultText(container, "imagePullPolicy", defaultPullPolicy(Json.text(container, "image")));
    ObjectNode resources = Json.with(container, "resources");
    canonicalizeQuantities(Json.object(resources, "limits"));
    canonicalizeQuantities(Json.object(resources, "requests"));
    for (ObjectNode port : Json.objects(container, "ports")) {
      Json.defaultText(port, "protocol", "TCP");
      if (hostNetwork && Json.number(port, "hostPort", 0) == 0 && Json.has(port, "containerPort")) {
        port.set("hostPort", port.get("containerPort"));
      }
    }
    for (ObjectNode env : Json.objects(container, "env")) {
      ObjectNode fieldRef = Json.object(Json.object(env, "valueFrom"), "fieldRef");
      if (fieldRef != null) {
        Json.defaultText(fieldRef, "apiVersion", "v1");
      }
      ObjectNode resourceFieldRef = Json.object(Json.object(env, "valueFrom"), "resourceFieldRef");
      if (resourceFieldRef != null && Json.has(resourceFieldRef, "divisor")) {
        canonicalize(resourceFieldRef, "divisor");
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      ObjectNode node = Json.object(container, probe);
      if (node != null) {
        Json.defaultNumber(node, "timeoutSeconds", 1);
        Json.defaultNumber(node, "periodSeconds", 10);
        Json.defaultNumber(node, "successThreshold", 1);
        Json.defaultNumber(node, "failureThreshold", 3);
        applyHandler(node);
      }
    }
    ObjectNode lifecycle = Json.object(container, "lifecycle");
    if (lifecycle != null) {
      applyHandler(Json.object(lifecycle, "postStart"));
      applyHandler(Json.object(lifecycle, "preStop"));
    }
  }

  private static void applyHandler(ObjectNode handler) {
    ObjectNode httpGet = Json.object(handler, "httpGet");
    if (httpGet != null) {
      Json.defaultText(httpGet, "path", "/");
      Json.defaultText(httpGet, "scheme", "HTTP");
    }
  }

  /** SetDefaults_Volume and the defaults of its source: a volume without a source gets an emptyDir. */
  public static void applyVolume(ObjectNode volume) {
    boolean anySource = VOLUME_SOURCES.stream().anyMatch(source -> Json.has(volume, source));
    if (!anySource) {
      volume.putObject("emptyDir");
    }
    ObjectNode secret = Json.object(volume, "secret");
    if (secret != null) {
      Json.defaultNumber(secret, "defaultMode", DEFAULT_MODE);
    }
    ObjectNode configMap = Json.object(volume, "configMap");
    if (configMap != null) {
      Json.defaultNumber(configMap, "defaultMode", DEFAULT_MODE);
    }
    ObjectNode downwardApi = Json.object(volume, "downwardAPI");
    if (downwardApi != null) {
      Json.defaultNumber(downwardApi, "defaultMode", DEFAULT_MODE);
      applyDownwardItems(downwardApi);
    }
    ObjectNode projected = Json.object(volume, "projected");
    if (projected != null) {
      Json.defaultNumber(projected, "defaultMode", DEFAULT_MODE);
      for (ObjectNode source : Json.objects(projected, "sources")) {
        ObjectNode token = Json.object(source, "serviceAccountToken");
        if (token != null) {
          Json.defaultNumber(token, "expirationSeconds", 3600);
        }
        applyDownwardItems(Json.object(source, "downwardAPI"));
      }
    }
    ObjectNode hostPath = Json.object(volume, "hostPath");
    if (hostPath != null && !Json.has(hostPath, "type")) {
      hostPath.put("type", "");
    }
    ObjectNode emptyDir = Json.object(volume, "emptyDir");
    if (emptyDir != null && Json.has(emptyDir, "sizeLimit")) {
      canonicalize(emptyDir, "sizeLimit");
    }
  }

  private static void applyDownwardItems(ObjectNode downwardApi) {
    for (ObjectNode item : Json.objects(downwardApi, "items")) {
      ObjectNode fieldRef = Json.object(item, "fieldRef");
      if (fieldRef != null) {
        Json.defaultText(fieldRef, "apiVersion", "v1");
      }
    }
  }

  /**
   * The pull policy of an image without one: Always for the tag "latest" or no tag (and no digest), else
   * IfNotPresent.
   */
  public static String defaultPullPolicy(String image) {
    String name = image;
    boolean digest = false;
    int at = name.indexOf('@');
    if (at >= 0) {
      digest = true;
      name = name.substring(0, at);
    }
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    String tag = colon > slash ? name.substring(colon + 1) : "";
    if (tag.isEmpty() && !digest && !image.isEmpty()) {
      tag = "latest";
    }
    return tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  /** Rewrites every valid quantity of a resource list in canonical form ("0.5" to "500m", "1024Mi" to "1Gi"). */
  public static void canonicalizeQuantities(ObjectNode list) {
    if (list == null) {
      return;
    }
    List<String> names = new ArrayList<>();
    list.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      canonicalize(list, name);
    }
  }

  private static void canonicalize(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return;
    }
    try {
      node.set(field, TextNode.valueOf(Quantity.fromJson(value).toString()));
    } catch (IllegalArgumentException e) {
      // left as is: validation reports it
    }
  }
}
