package io.minicluster.controller.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.PersistentVolumeClaim;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The built-in local-path provisioner (what rancher/local-path-provisioner does for k3s): one host directory
 * {@code <root>/pvc-<uid>_<namespace>_<name>} per claim, served as a hostPath volume pinned to the node, and removed
 * again when its volume is reclaimed with the Delete policy.
 */
public final class LocalPathProvisioner {
  /**
   * The provisioner name of the default class: k3s' own, so manifests and charts written for k3s (which name the
   * class {@code local-path} and sometimes check its provisioner) find what they expect.
   */
  public static final String NAME = "rancher.io/local-path";
  /** The class the daemon creates at its first start. */
  public static final String DEFAULT_CLASS = "local-path";
  static final String ONLY_RWO = "NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes";

  private final Path root;

  /** @param root the directory under which volumes are created (created when needed) */
  public LocalPathProvisioner(Path root) {
    this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
  }

  /** The volume's name for a claim: {@code pvc-<claim uid>}, as external provisioners name theirs. */
  static String volumeName(PersistentVolumeClaim claim) {
    return "pvc-" + claim.metadata().uid();
  }

  Path directory(PersistentVolumeClaim claim) {
    return root.resolve(volumeName(claim) + "_" + claim.metadata().namespace() + "_" + claim.metadata().name());
  }

  /** The access modes the provisioner cannot serve, or null when it serves all the claim asks for. */
  static String unsupportedAccessModes(List<String> accessModes) {
    for (String mode : accessModes) {
      if (!mode.equals("ReadWriteOnce") && !mode.equals("ReadWriteOncePod")) {
        return ONLY_RWO;
      }
    }
    return null;
  }

  /** Creates the claim's directory (world-writable, as local-path's setup script makes it). */
  Path createDirectory(PersistentVolumeClaim claim) throws IOException {
    Path directory = directory(claim);
    Files.createDirectories(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
    return directory;
  }

  /**
   * Removes a volume's directory with everything in it; a path outside the provisioner's root is never touched.
   *
   * @return false when the path is not one of this provisioner's directories
   */
  boolean deleteDirectory(String path) throws IOException {
    Path directory = Path.of(path).toAbsolutePath().normalize();
    if (!directory.getParent().equals(root)) {
      return false;
    }
    if (!Files.exists(directory)) {
      return true;
    }
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
    return true;
  }

  /**
   * The volume for a claim: its requested size and access modes, the class's reclaim policy, a hostPath source at the
   * claim's directory and a node affinity to the node that provisioned it; pre-bound to the claim by uid.
   */
  static ObjectNode volume(PersistentVolumeClaim claim, Path directory, String node, String reclaimPolicy) {
    ObjectNode volume = Json.object();
    ObjectNode metadata = volume.putObject("metadata");
    metadata.put("name", volumeName(claim));
    metadata.putObject("annotations").put(PersistentVolumeController.ANN_PROVISIONED_BY, NAME)
        .put("local.path.provisioner/selected-node", node);
    ObjectNode spec = volume.putObject("spec");
    Quantity size = claim.spec().resources().requests().get("storage");
    spec.putObject("capacity").put("storage", size == null ? "0" : size.toString());
    ArrayNode modes = spec.putArray("accessModes");
    claim.spec().accessModes().forEach(modes::add);
    PersistentVolumeController.putClaimRef(spec, claim);
    spec.put("persistentVolumeReclaimPolicy", reclaimPolicy);
    spec.put("storageClassName", claim.spec().storageClassName());
    spec.put("volumeMode", claim.spec().volumeMode() == null ? "Filesystem" : claim.spec().volumeMode());
    spec.putObject("hostPath").put("path", directory.toString()).put("type", "DirectoryOrCreate");
    ObjectNode expression = spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms")
        .addObject().putArray("matchExpressions").addObject();
    expression.put("key", "kubernetes.io/hostname");
    expression.put("operator", "In");
    expression.putArray("values").add(node);
    return volume;
  }
}
