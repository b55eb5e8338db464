package io.minicluster.agent.volume;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.ConfigException;
import io.minicluster.agent.EnvironmentResolver;
import io.minicluster.agent.PodSpecs;
import io.minicluster.agent.runtime.MountSpec;
import io.minicluster.api.core.ConfigMap;
import io.minicluster.api.core.ConfigMapProjection;
import io.minicluster.api.core.ConfigMapVolumeSource;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.DownwardAPIVolumeFile;
import io.minicluster.api.core.DownwardAPIVolumeSource;
import io.minicluster.api.core.EmptyDirVolumeSource;
import io.minicluster.api.core.HostPathVolumeSource;
import io.minicluster.api.core.KeyToPath;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.PersistentVolume;
import io.minicluster.api.core.PersistentVolumeClaim;
import io.minicluster.api.core.PersistentVolumeClaimStatus;
import io.minicluster.api.core.PersistentVolumeClaimVolumeSource;
import io.minicluster.api.core.PersistentVolumeSpec;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.ProjectedVolumeSource;
import io.minicluster.api.core.ResourceFieldSelector;
import io.minicluster.api.core.Secret;
import io.minicluster.api.core.SecretProjection;
import io.minicluster.api.core.SecretVolumeSource;
import io.minicluster.api.core.ServiceAccountTokenProjection;
import io.minicluster.api.core.Volume;
import io.minicluster.api.core.VolumeMount;
import io.minicluster.api.core.VolumeProjection;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sets up a pod's volumes under {@code <podDir>/volumes/<plugin>/<name>} (emptyDir, hostPath, configMap, secret,
 * downwardAPI, projected; persistentVolumeClaim volumes are the bound volume's host directory) and turns {@code volumeMounts} into engine mounts. ConfigMap, Secret and downward API files
 * are rewritten atomically whenever {@link #prepare} runs and their sources changed, so periodic syncs keep them current.
 * A projected serviceAccountToken is requested through the TokenRequest API, bound to the pod, and renewed as the
 * kubelet's token manager does (at 80% of its lifetime or after 24 h): {@link #untilTokenRefresh} says when.
 */
public final class VolumeManager {
  private static final int DEFAULT_MODE = 0644;

  /** The longest a projected token is used before it is refreshed, whatever its expiry (the kubelet's maxTTL). */
  static final Duration TOKEN_MAX_AGE = Duration.ofHours(24);

  private final Client client;
  private final EnvironmentResolver resolver;
  private final Clock clock;
  /** The projected service-account tokens, by pod uid, volume and path. */
  private final ConcurrentHashMap<TokenKey, ProjectedToken> tokens = new ConcurrentHashMap<>();

  private record TokenKey(String podUid, String volume, String path) {}

  /**
   * A token of a serviceAccountToken projection, with when it was issued (its expiry less the lifetime the server
   * granted) and expires.
   */
  private record ProjectedToken(String token, Instant issued, Instant expiry) {
    /**
     * When the kubelet's token manager renews it: at 80% of its lifetime, or after {@link #TOKEN_MAX_AGE}.
     */
    Instant refreshAt() {
      Instant atEightyPercent = expiry.minus(Duration.between(issued, expiry).multipliedBy(20).dividedBy(100));
      Instant maxAge = issued.plus(TOKEN_MAX_AGE);
      return atEightyPercent.isBefore(maxAge) ? atEightyPercent : maxAge;
    }
  }

  /** A set-up volume: a host directory to bind, or a tmpfs (memory emptyDir used by a single container). */
  public record Prepared(String name, Path hostPath, boolean tmpfs, long sizeBytes, boolean readOnly) {}

  public VolumeManager(Client client, EnvironmentResolver resolver) {
    this(client, resolver, Clock.systemUTC());
  }

  public VolumeManager(Client client, EnvironmentResolver resolver, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.resolver = requireNonNull(resolver, "resolver is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** How long until the first of the pod's projected tokens is due for renewal (the pod's next sync), if any. */
  public Optional<Duration> untilTokenRefresh(String podUid) {
    Instant now = clock.instant();
    return tokens.entrySet().stream()
        .filter(entry -> entry.getKey().podUid().equals(podUid))
        .map(entry -> entry.getValue().refreshAt())
        .min(Instant::compareTo)
        .map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }

  /** Drops what is kept for a pod that is gone (its projected tokens). */
  public void forget(String podUid) {
    tokens.keySet().removeIf(key -> key.podUid().equals(podUid));
  }

  /** Sets up (or refreshes) every volume of the pod. */
  public Map<String, Prepared> prepare(Pod pod, Path podDirectory) throws VolumeException {
    Map<String, Prepared> prepared = new LinkedHashMap<>();
    for (Volume volume : pod.spec().volumes()) {
      String name = volume.name();
      try {
        prepared.put(name, prepareOne(pod, volume, name, podDirectory.resolve("volumes")));
      } catch (IOException e) {
        throw new VolumeException(name, e.getMessage());
      }
    }
    return prepared;
  }

  private Prepared prepareOne(Pod pod, Volume volume, String name, Path volumes)
      throws VolumeException, IOException {
    if (volume.emptyDir() != null) {
      EmptyDirVolumeSource emptyDir = volume.emptyDir();
      Path directory = volumes.resolve("kubernetes.io~empty-dir").resolve(name);
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, AtomicWriter.permissions(0777));
      }
      boolean memory = "Memory".equals(emptyDir.medium());
      long size = emptyDir.sizeLimit() == null ? 0 : emptyDir.sizeLimit().value();
      return new Prepared(name, directory, memory && mountedByOneContainer(pod, name), size, false);
    }
    if (volume.hostPath() != null) {
      HostPathVolumeSource hostPath = volume.hostPath();
      Path path = Path.of(hostPath.path());
      checkHostPath(name, path, hostPath.type() == null ? "" : hostPath.type());
      return new Prepared(name, path, false, 0, false);
    }
    if (volume.configMap() != null || volume.secret() != null || volume.downwardAPI() != null
        || volume.projected() != null) {
      String plugin = volume.configMap() != null ? "kubernetes.io~configmap" : volume.secret() != null
          ? "kubernetes.io~secret" : volume.downwardAPI() != null ? "kubernetes.io~downward-api"
          : "kubernetes.io~projected";
      Path directory = volumes.resolve(plugin).resolve(name);
      AtomicWriter.write(directory, files(pod, volume, name));
      return new Prepared(name, directory, false, 0, true);
    }
    if (volume.persistentVolumeClaim() != null) {
      return claimVolume(pod, volume.persistentVolumeClaim(), name);
    }
    throw new VolumeException(name, "unsupported volume type");
  }

  /**
   * A claim's volume: the host directory of the volume it is bound to (hostPath or local source), read-only when the
   * pod says so. A claim that is missing or not bound yet is a volume the pod waits for.
   */
  private Prepared claimVolume(Pod pod, PersistentVolumeClaimVolumeSource source, String name)
      throws VolumeException, IOException {
    String namespace = pod.metadata().namespace();
    String claimName = source.claimName();
    String processing = "error processing PVC " + namespace + "/" + claimName + ": ";
    PersistentVolumeClaim claim = client.find(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, namespace, claimName)
        .map(PersistentVolumeClaim::from).orElseThrow(() -> VolumeException.unprocessed(name, processing
            + "failed to fetch PVC from API server: persistentvolumeclaims \"" + claimName + "\" not found"));
    if (!PersistentVolumeClaimStatus.BOUND.equals(claim.status().phase()) || claim.spec().volumeName().isEmpty()) {
      throw VolumeException.unprocessed(name, processing + "PVC is not bound");
    }
    String volumeName = claim.spec().volumeName();
    PersistentVolume volume = client.find(ResourceTypes.PERSISTENT_VOLUMES, null, volumeName)
        .map(PersistentVolume::from).orElseThrow(() -> VolumeException.unprocessed(name, processing
            + "failed to fetch PV " + volumeName + " from API server: persistentvolumes \"" + volumeName
            + "\" not found"));
    PersistentVolumeSpec spec = volume.spec();
    Path path;
    if (spec.hostPath() != null) {
      path = Path.of(spec.hostPath().path());
      checkHostPath(name, path, spec.hostPath().type() == null ? "" : spec.hostPath().type());
    } else if (!spec.localPath().isEmpty()) {
      path = Path.of(spec.localPath());
      if (!Files.isDirectory(path)) {
        throw new VolumeException(volumeName, "mount failed: stat " + path + ": no such file or directory");
      }
    } else {
      throw new VolumeException(volumeName, "persistent volume \"" + volumeName
          + "\" has no volume source this node can mount (hostPath or local)");
    }
    return new Prepared(name, path, false, 0, source.readOnly());
  }

  private static boolean mountedByOneContainer(Pod pod, String volume) {
    int users = 0;
    List<Container> all = new ArrayList<>(pod.spec().containers());
    all.addAll(pod.spec().initContainers());
    for (Container container : all) {
      if (container.volumeMounts().stream().anyMatch(mount -> volume.equals(mount.name()))) {
        users++;
      }
    }
    return users <= 1;
  }

  static void checkHostPath(String name, Path path, String type) throws VolumeException, IOException {
    switch (type) {
      case "" -> {
      }
      case "DirectoryOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, AtomicWriter.permissions(0755));
        } else if (!Files.isDirectory(path)) {
          throw new VolumeException(name, "hostPath type check failed: " + path + " is not a directory");
        }
      }
      case "Directory" -> {
        if (!Files.isDirectory(path)) {
          throw new VolumeException(name, "hostPath type check failed: " + path + " is not a directory");
        }
      }
      case "FileOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path.getParent());
          Files.createFile(path);
          Files.setPosixFilePermissions(path, AtomicWriter.permissions(0644));
        } else if (!Files.isRegularFile(path)) {
          throw new VolumeException(name, "hostPath type check failed: " + path + " is not a file");
        }
      }
      case "File" -> {
        if (!Files.isRegularFile(path)) {
          throw new VolumeException(name, "hostPath type check failed: " + path + " is not a file");
        }
      }
      case "Socket", "CharDevice", "BlockDevice" -> {
        if (!Files.exists(path)) {
          throw new VolumeException(name, "hostPath type check failed: " + path + " does not exist");
        }
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory() || attributes.isRegularFile() || attributes.isSymbolicLink()) {
          throw new VolumeException(name, "hostPath type check failed: " + path + " is not a "
              + type.toLowerCase(Locale.ROOT).replace("device", " device"));
        }
      }
      default -> throw new VolumeException(name, "hostPath type " + type + " is not supported");
    }
  }

  /** The files a configMap/secret/downwardAPI/projected volume should contain now. */
  private Map<String, AtomicWriter.FileContent> files(Pod pod, Volume volume, String name)
      throws VolumeException {
    Map<String, AtomicWriter.FileContent> files = new LinkedHashMap<>();
    if (volume.projected() != null) {
      ProjectedVolumeSource projected = volume.projected();
      int defaultMode = mode(projected.defaultMode(), DEFAULT_MODE);
      for (VolumeProjection source : projected.sources()) {
        if (source.configMap() != null) {
          ConfigMapProjection configMap = source.configMap();
          configMapFiles(pod, configMap.name(), configMap.items(), optional(configMap.optional()), defaultMode, name,
              files);
        } else if (source.secret() != null) {
          SecretProjection secret = source.secret();
          secretFiles(pod, secret.name(), secret.items(), optional(secret.optional()), defaultMode, name, files);
        } else if (source.downwardAPI() != null) {
          downwardFiles(pod, source.downwardAPI().items(), defaultMode, name, files);
        } else if (source.serviceAccountToken() != null) {
          ServiceAccountTokenProjection projection = source.serviceAccountToken();
          files.put(projection.path(), new AtomicWriter.FileContent(
              token(pod, name, projection).getBytes(StandardCharsets.UTF_8), defaultMode));
        }
      }
      return files;
    }
    if (volume.configMap() != null) {
      ConfigMapVolumeSource source = volume.configMap();
      configMapFiles(pod, source.name(), source.items(), optional(source.optional()),
          mode(source.defaultMode(), DEFAULT_MODE), name, files);
    } else if (volume.secret() != null) {
      SecretVolumeSource source = volume.secret();
      secretFiles(pod, source.secretName(), source.items(), optional(source.optional()),
          mode(source.defaultMode(), DEFAULT_MODE), name, files);
    } else {
      DownwardAPIVolumeSource source = volume.downwardAPI();
      downwardFiles(pod, source.items(), mode(source.defaultMode(), DEFAULT_MODE), name, files);
    }
    return files;
  }

  /**
   * The token of a serviceAccountToken projection: the one kept for it until it is due for renewal, else a new one
   * from the TokenRequest API, bound to the pod (a failed renewal keeps the previous token while it is valid).
   */
  private String token(Pod pod, String volume, ServiceAccountTokenProjection projection) throws VolumeException {
    TokenKey key = new TokenKey(pod.metadata().uid(), volume, projection.path());
    ProjectedToken kept = tokens.get(key);
    Instant now = clock.instant();
    if (kept != null && now.isBefore(kept.refreshAt())) {
      return kept.token();
    }
    String account = pod.spec().serviceAccountName() == null || pod.spec().serviceAccountName().isEmpty()
        ? "default" : pod.spec().serviceAccountName();
    ObjectNode request = Json.object();
    request.put("apiVersion", "authentication.k8s.io/v1");
    request.put("kind", "TokenRequest");
    ObjectNode spec = request.putObject("spec");
    if (projection.audience() != null && !projection.audience().isEmpty()) {
      spec.putArray("audiences").add(projection.audience());
    }
    spec.put("expirationSeconds", projection.expirationSeconds() == null ? 3600 : projection.expirationSeconds());
    ObjectNode bound = spec.putObject("boundObjectRef");
    bound.put("apiVersion", "v1");
    bound.put("kind", "Pod");
    bound.put("name", pod.metadata().name());
    bound.put("uid", pod.metadata().uid());
    try {
      ObjectNode answer = client.createToken(pod.metadata().namespace(), account, request);
      Instant expiry = Instant.parse(answer.at("/status/expirationTimestamp").asText());
      Instant issued = expiry.minusSeconds(answer.at("/spec/expirationSeconds").asLong(
          spec.get("expirationSeconds").asLong()));
      ProjectedToken fresh = new ProjectedToken(answer.at("/status/token").asText(), issued, expiry);
      tokens.put(key, fresh);
      return fresh.token();
    } catch (ApiException | DateTimeParseException e) {
      if (kept != null && now.isBefore(kept.expiry())) {
        return kept.token();
      }
      throw new VolumeException(volume, "failed to fetch token: " + e.getMessage());
    }
  }

  private static int mode(Integer mode, int otherwise) {
    return mode == null ? otherwise : mode;
  }

  private static boolean optional(Boolean optional) {
    return Boolean.TRUE.equals(optional);
  }

  private void configMapFiles(Pod pod, String configMapName, List<KeyToPath> items, boolean optional,
      int defaultMode, String volume, Map<String, AtomicWriter.FileContent> files) throws VolumeException {
    Optional<ConfigMap> configMap = resolver.configMap(pod.metadata().namespace(), configMapName);
    if (configMap.isEmpty()) {
      if (optional) {
        return;
      }
      throw new VolumeException(volume, "configmap \"" + configMapName + "\" not found");
    }
    Map<String, byte[]> data = new TreeMap<>();
    configMap.get().data().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
    configMap.get().binaryData().forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
    project(data, items, optional, defaultMode, volume, "configmap", configMapName, files);
  }

  private void secretFiles(Pod pod, String secretName, List<KeyToPath> items, boolean optional, int defaultMode,
      String volume, Map<String, AtomicWriter.FileContent> files) throws VolumeException {
    Optional<Secret> secret = resolver.secret(pod.metadata().namespace(), secretName);
    if (secret.isEmpty()) {
      if (optional) {
        return;
      }
      throw new VolumeException(volume, "secret \"" + secretName + "\" not found");
    }
    project(EnvironmentResolver.secretData(secret.get()), items, optional, defaultMode, volume, "secret", secretName,
        files);
  }

  private static void project(Map<String, byte[]> data, List<KeyToPath> items, boolean optional, int defaultMode,
      String volume, String kind, String objectName, Map<String, AtomicWriter.FileContent> files)
      throws VolumeException {
    if (items.isEmpty()) {
      data.forEach((key, value) -> files.put(key, new AtomicWriter.FileContent(value, defaultMode)));
      return;
    }
    for (KeyToPath item : items) {
      String key = item.key();
      byte[] value = data.get(key);
      if (value == null) {
        if (optional) {
          continue;
        }
        throw new VolumeException(volume, "configured to use key " + key + " of " + kind + " " + objectName
            + " but it does not exist");
      }
      files.put(item.path().isEmpty() ? key : item.path(), new AtomicWriter.FileContent(value,
          mode(item.mode(), defaultMode)));
    }
  }

  private void downwardFiles(Pod pod, List<DownwardAPIVolumeFile> items, int defaultMode, String volume,
      Map<String, AtomicWriter.FileContent> files) throws VolumeException {
    for (DownwardAPIVolumeFile item : items) {
      String value;
      try {
        if (item.fieldRef() != null) {
          value = EnvironmentResolver.fieldValue(pod, item.fieldRef().fieldPath());
        } else if (item.resourceFieldRef() != null) {
          ResourceFieldSelector reference = item.resourceFieldRef();
          String containerName = reference.containerName();
          Container container = PodSpecs.container(pod, containerName).orElseThrow(
              () -> new ConfigException("container \"" + containerName + "\" not found in pod"));
          value = resolver.resourceValue(container, reference.resource(), reference.divisor());
        } else {
          continue;
        }
      } catch (ConfigException e) {
        throw new VolumeException(volume, e.getMessage());
      }
      files.put(item.path(), new AtomicWriter.FileContent(value.getBytes(StandardCharsets.UTF_8),
          mode(item.mode(), defaultMode)));
    }
  }

  /** The engine mounts of one container's {@code volumeMounts}. */
  public static List<MountSpec> mounts(Container container, Map<String, Prepared> volumes) throws ConfigException {
    List<MountSpec> mounts = new ArrayList<>();
    for (VolumeMount mount : container.volumeMounts()) {
      String name = mount.name();
      Prepared volume = volumes.get(name);
      if (volume == null) {
        throw new ConfigException("cannot find volume \"" + name + "\" to mount into container \""
            + container.name() + "\"");
      }
      String target = mount.mountPath();
      boolean readOnly = mount.readOnly() || volume.readOnly();
      String subPath = mount.subPath() == null ? "" : mount.subPath();
      if (volume.tmpfs() && subPath.isEmpty()) {
        mounts.add(new MountSpec(MountSpec.Kind.TMPFS, "", target, readOnly, volume.sizeBytes()));
        continue;
      }
      Path source = volume.hostPath();
      if (!subPath.isEmpty()) {
        Path relative = Path.of(subPath).normalize();
        if (relative.isAbsolute() || relative.startsWith("..")) {
          throw new ConfigException("invalid subPath \"" + subPath + "\": must be a relative path inside the volume");
        }
        source = source.resolve(relative);
        try {
          if (!Files.exists(source)) {
            Files.createDirectories(source);
          }
          source = source.toRealPath();
        } catch (IOException e) {
          throw new ConfigException("failed to prepare subPath for volumeMount \"" + name + "\" of container \""
              + container.name() + "\": " + e.getMessage());
        }
      }
      mounts.add(MountSpec.bind(source.toString(), target, readOnly));
    }
    return mounts;
  }
}
