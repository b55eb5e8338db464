package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File writes for secrets: content goes to a temporary file that is created with its final permissions (so a key
 * is never readable by others, not even for a moment), is flushed to disk, then moved over the target atomically.
 */
public final class SecureFiles {
  /** rw------- : private keys, tokens, kubeconfigs. */
  public static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
  /** rw-r--r-- : certificates. */
  public static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");
  /** rwx------ : the data directory and the pki directory. */
  public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Creates the directory (and parents) when missing and restricts it to its owner (0700). */
  public static void ensurePrivateDirectory(Path directory) throws IOException {
    requireNonNull(directory, "directory is null");
    if (!Files.isDirectory(directory)) {
      if (posix()) {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
      } else {
        Files.createDirectories(directory);
      }
    }
    if (posix()) {
      Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
    }
  }

  /** Writes content to file atomically (temporary file in the same directory, fsync, atomic rename). */
  public static void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    requireNonNull(file, "file is null");
    requireNonNull(content, "content is null");
    requireNonNull(permissions, "permissions is null");
    Path absolute = file.toAbsolutePath();
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    FileAttribute<?>[] attributes = posix()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
    Path temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = Channels.newOutputStream(channel)) {
        out.write(content);
        out.flush();
        channel.force(true);
      }
      if (posix()) {
        // createTempFile honours the umask only to remove bits; set explicitly to get exactly what was asked.
        Files.setPosixFilePermissions(temporary, permissions);
      }
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
