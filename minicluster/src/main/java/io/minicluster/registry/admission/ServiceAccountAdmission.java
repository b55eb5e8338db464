package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount) on pod creation: the pod runs as
 * {@code spec.serviceAccountName} ({@code default} when unset), which must exist (the {@code default} account may
 * still be on its way in a new namespace: its pods are let through, as a cluster whose controller lags would
 * eventually do); it gets the account's imagePullSecrets when it has none; and, unless automountServiceAccountToken is
 * false on the pod (or, unset there, on the account), the projected volume {@code kube-api-access-<5 random>} (a bound
 * token of 3607 s, the {@code kube-root-ca.crt} ConfigMap's {@code ca.crt}, the namespace) mounted read-only at
 * {@value #MOUNT_PATH} in every container and init container that has no mount there yet. Mirror pods are left alone.
 */
public final class ServiceAccountAdmission implements Admission {
  public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  public static final String VOLUME_PREFIX = "kube-api-access-";
  static final String DEFAULT_ACCOUNT = "default";
  static final long TOKEN_EXPIRATION_SECONDS = 3607;
  static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
  private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
  /** utilrand.String's alphabet: no vowels, no confusable characters. */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final BiFunction<String, String, Optional<ObjectNode>> serviceAccounts;
  private final Random random;

  /** @param serviceAccounts finds a service account by namespace and name */
  public ServiceAccountAdmission(BiFunction<String, String, Optional<ObjectNode>> serviceAccounts) {
    this(serviceAccounts, new SecureRandom());
  }

  ServiceAccountAdmission(BiFunction<String, String, Optional<ObjectNode>> serviceAccounts, Random random) {
    this.serviceAccounts = requireNonNull(serviceAccounts, "serviceAccounts is null");
    this.random = requireNonNull(random, "random is null");
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode pod, WriteOptions options) {
    if (type != ResourceTypes.PODS || Json.textOrNull(pod, "metadata", "annotations", MIRROR_ANNOTATION) != null) {
      return;
    }
    ObjectNode spec = Json.with(pod, "spec");
    String accountName = Json.text(spec, "serviceAccountName");
    if (accountName.isEmpty()) {
      accountName = DEFAULT_ACCOUNT;
      spec.put("serviceAccountName", accountName);
      spec.put("serviceAccount", accountName);
    }
    String namespace = Meta.namespace(pod);
    Optional<ObjectNode> account = serviceAccounts.apply(namespace, accountName);
    if (account.isEmpty() && !accountName.equals(DEFAULT_ACCOUNT)) {
      throw ApiException.forbidden(ResourceTypes.PODS, Meta.name(pod), "error looking up service account "
          + namespace + "/" + accountName + ": serviceaccount \"" + accountName + "\" not found");
    }
    if (account.isPresent() && Json.elements(spec, "imagePullSecrets").isEmpty()) {
      List<JsonNode> pullSecrets = Json.elements(account.get(), "imagePullSecrets");
      if (!pullSecrets.isEmpty()) {
        ArrayNode copy = spec.putArray("imagePullSecrets");
        pullSecrets.forEach(secret -> copy.addObject().put("name", Json.text(secret, "name")));
      }
    }
    if (automount(spec, account)) {
      mountToken(spec);
    }
  }

  private static boolean automount(ObjectNode spec, Optional<ObjectNode> account) {
    JsonNode onPod = spec.get("automountServiceAccountToken");
    if (onPod != null && onPod.isBoolean()) {
      return onPod.booleanValue();
    }
    JsonNode onAccount = account.map(a -> a.get("automountServiceAccountToken")).orElse(null);
    return onAccount == null || !onAccount.isBoolean() || onAccount.booleanValue();
  }

  private void mountToken(ObjectNode spec) {
    String volumeName = null;
    for (ObjectNode volume : Json.objects(spec, "volumes")) {
      if (Json.text(volume, "name").startsWith(VOLUME_PREFIX)) {
        volumeName = Json.text(volume, "name");
        break;
      }
    }
    boolean hasVolume = volumeName != null;
    if (!hasVolume) {
      volumeName = VOLUME_PREFIX + randomSuffix();
    }
    boolean needed = false;
    for (String containers : List.of("initContainers", "containers")) {
      for (ObjectNode container : Json.objects(spec, containers)) {
        boolean mounted = Json.objects(container, "volumeMounts").stream()
            .anyMatch(mount -> MOUNT_PATH.equals(Json.text(mount, "mountPath")));
        if (!mounted) {
          ObjectNode mount = container.withArray("volumeMounts").addObject();
          mount.put("name", volumeName);
          mount.put("readOnly", true);
          mount.put("mountPath", MOUNT_PATH);
          needed = true;
        }
      }
    }
    if (needed && !hasVolume) {
      spec.withArray("volumes").add(volume(volumeName));
    }
  }

  /** The projected volume as the plugin builds it (defaultMode 0644). */
  static ObjectNode volume(String name) {
    ObjectNode volume = Json.object();
    volume.put("name", name);
    ObjectNode projected = volume.putObject("projected");
    ArrayNode sources = projected.putArray("sources");
    ObjectNode token = sources.addObject().putObject("serviceAccountToken");
    token.put("expirationSeconds", TOKEN_EXPIRATION_SECONDS);
    token.put("path", "token");
    ObjectNode configMap = sources.addObject().putObject("configMap");
    configMap.put("name", ROOT_CA_CONFIG_MAP);
    ObjectNode item = configMap.putArray("items").addObject();
    item.put("key", "ca.crt");
    item.put("path", "ca.crt");
    ObjectNode namespaceFile = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
    namespaceFile.put("path", "namespace");
    ObjectNode fieldRef = namespaceFile.putObject("fieldRef");
    fieldRef.put("apiVersion", "v1");
    fieldRef.put("fieldPath", "metadata.namespace");
    projected.put("defaultMode", 0644);
    return volume;
  }

  private String randomSuffix() {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return suffix.toString();
  }
}
