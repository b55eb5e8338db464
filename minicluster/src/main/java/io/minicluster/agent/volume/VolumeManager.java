package io.minicluster.agent.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.ConfigException;
import io.minicluster.agent.EnvironmentResolver;
import io.minicluster.agent.PodSpecs;
import io.minicluster.agent.runtime.MountSpec;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sets up a pod's volumes under {@code <podDir>/volumes/<plugin>/<name>} (emptyDir, hostPath, configMap, secret,
 * downwardAPI, projected) and turns {@code volumeMounts} into engine mounts. ConfigMap, Secret and downward API files
 * are rewritten atomically whenever {@link #prepare} runs and their sources changed, so periodic syncs keep them current.
 */
public final class VolumeManager {
  private static final int DEFAULT_MODE = 0644;

  private final Client client;
  private final EnvironmentResolver resolver;

  /** A set-up volume: a host directory to bind, or a tmpfs (memory emptyDir used by a single container). */
  public record Prepared(String name, Path hostPath, boolean tmpfs, long sizeBytes, boolean readOnly) {}

  public VolumeManager(Client client, EnvironmentResolver resolver) {
    this.client = requireNonNull(client, "client is null");
    this.resolver = requireNonNull(resolver, "resolver is null");
  }

  /** Sets up (or refreshes) every volume of the pod. */
  public Map<String, Prepared> prepare(ObjectNode pod, Path podDirectory) throws VolumeException {
    Map<String, Prepared> prepared = new LinkedHashMap<>();
    for (ObjectNode volume : PodSpecs.objectsOf(Json.at(pod, "spec", "volumes"))) {
      String name = volume.path("name").asText();
      try {
        prepared.put(name, prepareOne(pod, volume, name, podDirectory.resolve("volumes")));
      } catch (IOException e) {
        throw new VolumeException(name, e.getMessage());
      }
    }
    return prepared;
  }

  private Prepared prepareOne(ObjectNode pod, ObjectNode volume, String name, Path volumes)
      throws VolumeException, IOException {
    if (volume.has("emptyDir")) {
      JsonNode emptyDir = volume.get("emptyDir");
      Path directory = volumes.resolve("kubernetes.io~empty-dir").resolve(name);
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, AtomicWriter.permissions(0777));
      }
      boolean memory = "Memory".equals(emptyDir.path("medium").asText());
      long size = emptyDir.hasNonNull("sizeLimit") ? Quantity.parse(emptyDir.get("sizeLimit").asText()).value() : 0;
      return new Prepared(name, directory, memory && mountedByOneContainer(pod, name), size, false);
    }
    if (volume.has("hostPath")) {
      JsonNode hostPath = volume.get("hostPath");
      Path path = Path.of(hostPath.path("path").asText());
      checkHostPath(name, path, hostPath.path("type").asText(""));
      return new Prepared(name, path, false, 0, false);
    }
    if (volume.has("configMap") || volume.has("secret") || volume.has("downwardAPI") || volume.has("projected")) {
      String plugin = volume.has("configMap") ? "kubernetes.io~configmap" : volume.has("secret")
          ? "kubernetes.io~secret" : volume.has("downwardAPI") ? "kubernetes.io~downward-api"
          : "kubernetes.io~projected";
      Path directory = volumes.resolve(plugin).resolve(name);
      AtomicWriter.write(directory, files(pod, volume, name));
      return new Prepared(name, directory, false, 0, true);
    }
    if (volume.has("persistentVolumeClaim")) {
      throw new VolumeException(name, "persistentVolumeClaim volumes are not supported by this node");
    }
    throw new VolumeException(name, "unsupported volume type");
  }

  private static boolean mountedByOneContainer(ObjectNode pod, String volume) {
    int users = 0;
    List<ObjectNode> all = new ArrayList<>(PodSpecs.containers(pod));
    all.addAll(PodSpecs.initContainers(pod));
    for (ObjectNode container : all) {
      for (ObjectNode mount : PodSpecs.objectsOf(container.get("volumeMounts"))) {
        if (volume.equals(mount.path("name").asText())) {
          users++;
          break;
        }
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
  private Map<String, AtomicWriter.FileContent> files(ObjectNode pod, ObjectNode volume, String name)
      throws VolumeException {
    Map<String, AtomicWriter.FileContent> files = new LinkedHashMap<>();
    if (volume.has("projected")) {
      JsonNode projected = volume.get("projected");
      int defaultMode = projected.path("defaultMode").asInt(DEFAULT_MODE);
      for (ObjectNode source : PodSpecs.objectsOf(projected.get("sources"))) {
        if (source.has("configMap")) {
          configMapFiles(pod, source.get("configMap"), defaultMode, name, files);
        } else if (source.has("secret")) {
          secretFiles(pod, source.get("secret"), defaultMode, name, files);
        } else if (source.has("downwardAPI")) {
          downwardFiles(pod, source.get("downwardAPI"), defaultMode, name, files);
        }
        // serviceAccountToken sources need a token issuer, which this node does not have: no token file
      }
      return files;
    }
    if (volume.has("configMap")) {
      JsonNode source = volume.get("configMap");
      configMapFiles(pod, source, source.path("defaultMode").asInt(DEFAULT_MODE), name, files);
    } else if (volume.has("secret")) {
      JsonNode source = volume.get("secret");
      ObjectNode asReference = source.deepCopy();
      asReference.put("name", source.path("secretName").asText());
      secretFiles(pod, asReference, source.path("defaultMode").asInt(DEFAULT_MODE), name, files);
    } else {
      JsonNode source = volume.get("downwardAPI");
      downwardFiles(pod, source, source.path("defaultMode").asInt(DEFAULT_MODE), name, files);
    }
    return files;
  }

  private void configMapFiles(ObjectNode pod, JsonNode source, int defaultMode, String volume,
      Map<String, AtomicWriter.FileContent> files) throws VolumeException {
    String configMapName = source.path("name").asText();
    Optional<ObjectNode> configMap = client.find(ResourceTypes.CONFIG_MAPS, Meta.namespace(pod), configMapName);
    if (configMap.isEmpty()) {
      if (source.path("optional").asBoolean(false)) {
        return;
      }
      throw new VolumeException(volume, "configmap \"" + configMapName + "\" not found");
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    EnvironmentResolver.configMapData(configMap.get()).forEach((key, value) -> data.put(key,
        value.getBytes(StandardCharsets.UTF_8)));
    Meta.stringMap(configMap.get().get("binaryData")).forEach((key, value) -> data.put(key,
        Base64.getDecoder().decode(value)));
    project(data, source, defaultMode, volume, "configmap", configMapName, files);
  }

  private void secretFiles(ObjectNode pod, JsonNode source, int defaultMode, String volume,
      Map<String, AtomicWriter.FileContent> files) throws VolumeException {
    String secretName = source.path("name").asText();
    Optional<ObjectNode> secret = client.find(ResourceTypes.SECRETS, Meta.namespace(pod), secretName);
    if (secret.isEmpty()) {
      if (source.path("optional").asBoolean(false)) {
        return;
      }
      throw new VolumeException(volume, "secret \"" + secretName + "\" not found");
    }
    project(EnvironmentResolver.secretData(secret.get()), source, defaultMode, volume, "secret", secretName, files);
  }

  private static void project(Map<String, byte[]> data, JsonNode source, int defaultMode, String volume, String kind,
      String objectName, Map<String, AtomicWriter.FileContent> files) throws VolumeException {
    List<ObjectNode> items = PodSpecs.objectsOf(source.get("items"));
    if (items.isEmpty()) {
      data.forEach((key, value) -> files.put(key, new AtomicWriter.FileContent(value, defaultMode)));
      return;
    }
    for (ObjectNode item : items) {
      String key = item.path("key").asText();
      byte[] value = data.get(key);
      if (value == null) {
        if (source.path("optional").asBoolean(false)) {
          continue;
        }
        throw new VolumeException(volume, "configured to use key " + key + " of " + kind + " " + objectName
            + " but it does not exist");
      }
      files.put(item.path("path").asText(key), new AtomicWriter.FileContent(value,
          item.path("mode").asInt(defaultMode)));
    }
  }

  private void downwardFiles(ObjectNode pod, JsonNode source, int defaultMode, String volume,
      Map<String, AtomicWriter.FileContent> files) throws VolumeException {
    for (ObjectNode item : PodSpecs.objectsOf(source.get("items"))) {
      String value;
      try {
        if (item.has("fieldRef")) {
          value = EnvironmentResolver.fieldValue(pod, item.path("fieldRef").path("fieldPath").asText());
        } else if (item.has("resourceFieldRef")) {
          JsonNode reference = item.get("resourceFieldRef");
          String containerName = reference.path("containerName").asText("");
          ObjectNode container = PodSpecs.container(pod, containerName).orElseThrow(
              () -> new ConfigException("container \"" + containerName + "\" not found in pod"));
          value = resolver.resourceValue(container, reference.path("resource").asText(),
              reference.path("divisor").asText(""));
        } else {
          continue;
        }
      } catch (ConfigException e) {
        throw new VolumeException(volume, e.getMessage());
      }
      files.put(item.path("path").asText(), new AtomicWriter.FileContent(value.getBytes(StandardCharsets.UTF_8),
          item.path("mode").asInt(defaultMode)));
    }
  }

  /** The engine mounts of one container's {@code volumeMounts}. */
  public static List<MountSpec> mounts(ObjectNode container, Map<String, Prepared> volumes) throws ConfigException {
    List<MountSpec> mounts = new ArrayList<>();
    for (ObjectNode mount : PodSpecs.objectsOf(container.get("volumeMounts"))) {
      String name = mount.path("name").asText();
      Prepared volume = volumes.get(name);
      if (volume == null) {
        throw new ConfigException("cannot find volume \"" + name + "\" to mount into container \""
            + container.path("name").asText() + "\"");
      }
      String target = mount.path("mountPath").asText();
      boolean readOnly = mount.path("readOnly").asBoolean(false) || volume.readOnly();
      String subPath = mount.path("subPath").asText("");
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
              + container.path("name").asText() + "\": " + e.getMessage());
        }
      }
      mounts.add(MountSpec.bind(source.toString(), target, readOnly));
    }
    return mounts;
  }
}
