package io.minicluster.agent.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a set of files into a directory so that readers see either all old or all new contents, like the kubelet's
 * AtomicWriter: the files live in a timestamped directory {@code ..<time>}, the symlink {@code ..data} points at it and
 * is replaced by a rename, and each top-level name is a symlink through {@code ..data}.
 */
public final class AtomicWriter {
  static final String DATA = "..data";

  /** One file: its bytes and its permission bits (e.g. 0644). */
  public record FileContent(byte[] bytes, int mode) {}

  private AtomicWriter() {}

  /** Makes {@code directory} hold exactly {@code files} (relative paths); returns whether anything changed. */
  public static boolean write(Path directory, Map<String, FileContent> files) throws IOException {
    Files.createDirectories(directory);
    for (String path : files.keySet()) {
      Path relative = Path.of(path).normalize();
      if (path.isEmpty() || relative.isAbsolute() || relative.startsWith("..") || path.startsWith("..")) {
        throw new IOException("invalid file path in volume: " + path);
      }
    }
    Path data = directory.resolve(DATA);
    Path current = Files.isSymbolicLink(data) ? directory.resolve(Files.readSymbolicLink(data)) : null;
    if (current != null && sameContent(current, files)) {
      return false;
    }
    Path fresh = Files.createTempDirectory(directory, ".." + System.currentTimeMillis() + "_");
    Files.setPosixFilePermissions(fresh, permissions(0755));
    for (Map.Entry<String, FileContent> entry : files.entrySet()) {
      Path file = fresh.resolve(entry.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue().bytes());
      Files.setPosixFilePermissions(file, permissions(entry.getValue().mode()));
    }
    Path link = directory.resolve("..data_tmp");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, fresh.getFileName());
    Files.move(link, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Set<String> topLevel = new HashSet<>();
    for (String path : files.keySet()) {
      topLevel.add(Path.of(path).normalize().getName(0).toString());
    }
    for (String name : topLevel) {
      Path entry = directory.resolve(name);
      if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createSymbolicLink(entry, Path.of(DATA).resolve(name));
        } catch (FileAlreadyExistsException raced) {
          // created meanwhile
        }
      }
    }
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (name.startsWith("..")) {
          if (!name.equals(DATA) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && !entry.equals(fresh)) {
            deleteRecursively(entry);
          }
        } else if (Files.isSymbolicLink(entry) && !topLevel.contains(name)) {
          Files.delete(entry);
        }
      }
    }
    return true;
  }

  private static boolean sameContent(Path current, Map<String, FileContent> files) throws IOException {
    if (!Files.isDirectory(current)) {
      return false;
    }
    Set<String> existing = new HashSet<>();
    try (Stream<Path> walk = Files.walk(current)) {
      for (Path path : walk.filter(Files::isRegularFile).toList()) {
        existing.add(current.relativize(path).toString());
      }
    }
    if (!existing.equals(normalizedKeys(files))) {
      return false;
    }
    for (Map.Entry<String, FileContent> entry : files.entrySet()) {
      Path file = current.resolve(entry.getKey());
      if (!Arrays.equals(Files.readAllBytes(file), entry.getValue().bytes())
          || !Files.getPosixFilePermissions(file).equals(permissions(entry.getValue().mode()))) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> normalizedKeys(Map<String, FileContent> files) {
    Set<String> keys = new HashSet<>();
    files.keySet().forEach(key -> keys.add(Path.of(key).normalize().toString()));
    return keys;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(order[bit]);
      }
    }
    return permissions;
  }

  /** Deletes a file tree without following symlinks. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
