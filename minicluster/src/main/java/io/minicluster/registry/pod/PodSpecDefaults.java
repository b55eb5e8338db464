package io.minicluster.registry.pod;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import io.minicluster.registry.validation.Nodes;
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

  /** Applies SetDefaults_PodSpec and everything below it to a pod spec (or a template's spec). */
  public static void apply(ObjectNode spec) {
    requireNonNull(spec, "spec is null");
    Nodes.defaultText(spec, "dnsPolicy", "ClusterFirst");
    Nodes.defaultText(spec, "restartPolicy", "Always");
    if (!Nodes.has(spec, "securityContext")) {
      spec.putObject("securityContext");
    }
    Nodes.defaultNumber(spec, "terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    Nodes.defaultText(spec, "schedulerName", DEFAULT_SCHEDULER);
    // v1 conversion keeps the deprecated serviceAccount field in step with serviceAccountName.
    String serviceAccountName = Nodes.text(spec, "serviceAccountName");
    String serviceAccount = Nodes.text(spec, "serviceAccount");
    if (serviceAccountName.isEmpty() && !serviceAccount.isEmpty()) {
      spec.put("serviceAccountName", serviceAccount);
    } else if (!serviceAccountName.isEmpty()) {
      spec.put("serviceAccount", serviceAccountName);
    }
    boolean hostNetwork = Nodes.bool(spec, "hostNetwork");
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (ObjectNode container : Nodes.objects(spec, list)) {
        applyContainer(container, hostNetwork);
      }
    }
    for (ObjectNode volume : Nodes.objects(spec, "volumes")) {
      applyVolume(volume);
    }
  }

  /** SetDefaults_Container plus its ports, env, probes and lifecycle handlers. */
  public static void applyContainer(ObjectNode container, boolean hostNetwork) {
    Nodes.defaultText(container, "terminationMessagePath", TERMINATION_MESSAGE_PATH);
    Nodes.defaultText(container, "terminationMessagePolicy", "File");
    Nodes.defaultText(container, "imagePullPolicy", defaultPullPolicy(Nodes.text(container, "image")));
    ObjectNode resources = Json.with(container, "resources");
    canonicalizeQuantities(Nodes.object(resources, "limits"));
    canonicalizeQuantities(Nodes.object(resources, "requests"));
    for (ObjectNode port : Nodes.objects(container, "ports")) {
      Nodes.defaultText(port, "protocol", "TCP");
      if (hostNetwork && Nodes.number(port, "hostPort", 0) == 0 && Nodes.has(port, "containerPort")) {
        port.set("hostPort", port.get("containerPort"));
      }
    }
    for (ObjectNode env : Nodes.objects(container, "env")) {
      ObjectNode fieldRef = Nodes.object(Nodes.object(env, "valueFrom"), "fieldRef");
      if (fieldRef != null) {
        Nodes.defaultText(fieldRef, "apiVersion", "v1");
      }
      ObjectNode resourceFieldRef = Nodes.object(Nodes.object(env, "valueFrom"), "resourceFieldRef");
      if (resourceFieldRef != null && Nodes.has(resourceFieldRef, "divisor")) {
        canonicalize(resourceFieldRef, "divisor");
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      ObjectNode node = Nodes.object(container, probe);
      if (node != null) {
        Nodes.defaultNumber(node, "timeoutSeconds", 1);
        Nodes.defaultNumber(node, "periodSeconds", 10);
        Nodes.defaultNumber(node, "successThreshold", 1);
        Nodes.defaultNumber(node, "failureThreshold", 3);
        applyHandler(node);
      }
    }
    ObjectNode lifecycle = Nodes.object(container, "lifecycle");
    if (lifecycle != null) {
      applyHandler(Nodes.object(lifecycle, "postStart"));
      applyHandler(Nodes.object(lifecycle, "preStop"));
    }
  }

  private static void applyHandler(ObjectNode handler) {
    ObjectNode httpGet = Nodes.object(handler, "httpGet");
    if (httpGet != null) {
      Nodes.defaultText(httpGet, "path", "/");
      Nodes.defaultText(httpGet, "scheme", "HTTP");
    }
  }

  /** SetDefaults_Volume and the defaults of its source: a volume without a source gets an emptyDir. */
  public static void applyVolume(ObjectNode volume) {
    boolean anySource = VOLUME_SOURCES.stream().anyMatch(source -> Nodes.has(volume, source));
    if (!anySource) {
      volume.putObject("emptyDir");
    }
    ObjectNode secret = Nodes.object(volume, "secret");
    if (secret != null) {
      Nodes.defaultNumber(secret, "defaultMode", DEFAULT_MODE);
    }
    ObjectNode configMap = Nodes.object(volume, "configMap");
    if (configMap != null) {
      Nodes.defaultNumber(configMap, "defaultMode", DEFAULT_MODE);
    }
    ObjectNode downwardApi = Nodes.object(volume, "downwardAPI");
    if (downwardApi != null) {
      Nodes.defaultNumber(downwardApi, "defaultMode", DEFAULT_MODE);
      applyDownwardItems(downwardApi);
    }
    ObjectNode projected = Nodes.object(volume, "projected");
    if (projected != null) {
      Nodes.defaultNumber(projected, "defaultMode", DEFAULT_MODE);
      for (ObjectNode source : Nodes.objects(projected, "sources")) {
        ObjectNode token = Nodes.object(source, "serviceAccountToken");
        if (token != null) {
          Nodes.defaultNumber(token, "expirationSeconds", 3600);
        }
        applyDownwardItems(Nodes.object(source, "downwardAPI"));
      }
    }
    ObjectNode hostPath = Nodes.object(volume, "hostPath");
    if (hostPath != null && !Nodes.has(hostPath, "type")) {
      hostPath.put("type", "");
    }
    ObjectNode emptyDir = Nodes.object(volume, "emptyDir");
    if (emptyDir != null && Nodes.has(emptyDir, "sizeLimit")) {
      canonicalize(emptyDir, "sizeLimit");
    }
  }

  private static void applyDownwardItems(ObjectNode downwardApi) {
    for (ObjectNode item : Nodes.objects(downwardApi, "items")) {
      ObjectNode fieldRef = Nodes.object(item, "fieldRef");
      if (fieldRef != null) {
        Nodes.defaultText(fieldRef, "apiVersion", "v1");
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
    List<String> names = new java.util.ArrayList<>();
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
