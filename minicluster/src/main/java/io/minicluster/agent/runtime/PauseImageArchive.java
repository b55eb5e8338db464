package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds a {@code docker save} style archive (manifest.json, image config, one layer) holding only {@code /pause},
 * mode 0755, with {@code Cmd ["/pause"]}, for {@code docker load}. Deterministic: same inputs, same image id.
 */
public final class PauseImageArchive {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PauseImageArchive() {}

  /** The archive for an image tagged {@code tag} (e.g. "minicluster.local/pause:1"). */
  public static byte[] build(String tag, PauseExecutable.Architecture architecture) {
    requireNonNull(tag, "tag is null");
    requireNonNull(architecture, "architecture is null");
    TarArchiveWriter layer = new TarArchiveWriter();
    layer.addFile("pause", 0755, PauseExecutable.generate(architecture));
    byte[] layerBytes = layer.finish();
    String layerDigest = sha256(layerBytes);

    ObjectNode config = MAPPER.createObjectNode();
    config.put("architecture", architecture.ociName());
    config.put("os", "linux");
    config.put("created", "1970-01-01T00:00:00Z");
    ObjectNode containerConfig = config.putObject("config");
    containerConfig.putArray("Cmd").add("/pause");
    containerConfig.putObject("Labels").put("io.minicluster.image", "pause");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add("sha256:" + layerDigest);
    config.putArray("history").addObject().put("created", "1970-01-01T00:00:00Z")
        .put("created_by", "minicluster: generated pause executable");
    byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
    String configName = sha256(configBytes) + ".json";

    ArrayNode manifest = MAPPER.createArrayNode();
    ObjectNode entry = manifest.addObject();
    entry.put("Config", configName);
    entry.putArray("RepoTags").add(tag);
    entry.putArray("Layers").add(layerDigest + "/layer.tar");

    TarArchiveWriter archive = new TarArchiveWriter();
    archive.addDirectory(layerDigest, 0755);
    archive.addFile(layerDigest + "/layer.tar", 0644, layerBytes);
    archive.addFile(configName, 0644, configBytes);
    archive.addFile("manifest.json", 0644, manifest.toString().getBytes(StandardCharsets.UTF_8));
    return archive.finish();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 missing", impossible);
    }
  }
}
