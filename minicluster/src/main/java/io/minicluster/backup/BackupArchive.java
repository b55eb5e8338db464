package io.minicluster.backup;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.pki.Pki;
import io.minicluster.pki.SecureFiles;
import io.minicluster.store.StoreSnapshots;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * A backup of a minicluster data directory: one gzip-compressed tar file, mode 0600 (it holds the CA key), with
 *
 * <ul>
 *   <li>{@value #MANIFEST}: what the archive holds (format, minicluster version, time, store revision and object
 *       count, and the size and SHA-256 of every file), always the first member;
 *   <li>{@code state.db}: a consistent copy of the SQLite store, taken online ({@link StoreSnapshots#snapshot});
 *   <li>{@code pki/}: the CA, the serving and admin certificates and keys, the admin token;
 *   <li>{@code kubeconfig.yaml}: the admin kubeconfig.
 * </ul>
 *
 * <p>Pod volumes and logs (the {@code agent/} directory) are not part of it: they belong to the containers running now.
 * {@link #extract} unpacks into a new directory and checks everything (member names, sizes and checksums against the
 * manifest, the database's integrity, the CA) before a restore replaces anything.
 */
public final class BackupArchive {
  public static final String MANIFEST = "minicluster-backup.json";
  public static final String KIND = "MiniclusterBackup";
  public static final int FORMAT = 1;
  static final String DATABASE = StoreSnapshots.DATABASE_FILE;
  static final String KUBECONFIG = "kubeconfig.yaml";
  static final String PKI = "pki";
  private static final Pattern PKI_MEMBER = Pattern.compile("pki/[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MAX_MANIFEST_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of the archive. */
  public record FileInfo(String name, long size, String sha256) {}

  /** The manifest: what the archive holds. */
  public record Manifest(String version, Instant created, long revision, long objects, List<FileInfo> files) {
    public Manifest {
      files = List.copyOf(files);
    }

    /** A one-line description, e.g. "42 objects at revision 1234, taken 2026-01-01T00:00:00Z by minicluster 0.1.0". */
    public String describe() {
      return objects + " objects at revision " + revision + ", taken " + created + " by minicluster " + version;
    }
  }

  private BackupArchive() {}

  /**
   * Writes a backup of {@code dataDir} to {@code archive} (replaced atomically if it exists; created 0600). The daemon
   * may be running.
   */
  public static Manifest create(Path dataDir, Path archive, String version) throws BackupException {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(archive, "archive is null");
    Path database = StoreSnapshots.databaseFile(dataDir);
    if (!Files.isRegularFile(database)) {
      throw new BackupException("no minicluster state in " + dataDir + " (" + DATABASE + " is missing): pass the "
          + "data directory with --data-dir");
    }
    Path target = archive.toAbsolutePath();
    Path directory = target.getParent();
    Path staging = null;
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      staging = Files.createTempDirectory(directory, ".minicluster-backup-",
          PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_ONLY_DIRECTORY));
      Path snapshot = staging.resolve(DATABASE);
      StoreSnapshots.snapshot(database, snapshot);
      StoreSnapshots.Summary summary = StoreSnapshots.check(snapshot);

      Map<String, Path> members = new LinkedHashMap<>();
      members.put(DATABASE, snapshot);
      Path pki = dataDir.resolve(PKI);
      if (Files.isDirectory(pki)) {
        try (Stream<Path> files = Files.list(pki)) {
          files.filter(Files::isRegularFile).sorted()
              .filter(file -> PKI_MEMBER.matcher(PKI + "/" + file.getFileName()).matches())
              .forEach(file -> members.put(PKI + "/" + file.getFileName(), file));
        }
      }
      if (!members.containsKey(PKI + "/" + Pki.CA_CERTIFICATE_FILE)) {
        throw new BackupException("no CA in " + pki + ": the data directory is incomplete (has the daemon run?)");
      }
      Path kubeconfig = dataDir.resolve(KUBECONFIG);
      if (Files.isRegularFile(kubeconfig)) {
        members.put(KUBECONFIG, kubeconfig);
      }
      // copy the small files first so that the checksums describe exactly what is archived
      Map<String, byte[]> small = new LinkedHashMap<>();
      List<FileInfo> files = new ArrayList<>();
      for (Map.Entry<String, Path> member : members.entrySet()) {
        if (member.getKey().equals(DATABASE)) {
          files.add(new FileInfo(DATABASE, Files.size(snapshot), sha256(snapshot)));
        } else {
          byte[] content = Files.readAllBytes(member.getValue());
          small.put(member.getKey(), content);
          files.add(new FileInfo(member.getKey(), content.length, sha256(content)));
        }
      }
      Manifest manifest = new Manifest(version, Instant.now().truncatedTo(ChronoUnit.SECONDS),
          summary.revision(), summary.objects(), files);

      temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_READ_WRITE));
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
          OutputStream out = new GZIPOutputStream(new BufferedOutputStream(
              Channels.newOutputStream(channel), 1 << 16))) {
        Tar.Writer tar = new Tar.Writer(out);
        byte[] manifestBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(manifest));
        tar.file(MANIFEST, 0600, manifestBytes.length, new ByteArrayInputStream(manifestBytes), manifest.created());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(snapshot))) {
          tar.file(DATABASE, 0600, Files.size(snapshot), in, manifest.created());
        }
        tar.directory(PKI, 0700, manifest.created());
        for (Map.Entry<String, byte[]> member : small.entrySet()) {
          tar.file(member.getKey(), member.getKey().endsWith(".crt") ? 0644 : 0600, member.getValue().length,
              new ByteArrayInputStream(member.getValue()), manifest.created());
        }
        tar.finish();
        ((GZIPOutputStream) out).finish();
        out.flush();
        channel.force(true);
      }
      Files.setPosixFilePermissions(temporary, SecureFiles.OWNER_READ_WRITE);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
      return manifest;
    } catch (SQLException e) {
      throw new BackupException("cannot copy the database " + database + ": " + e.getMessage(), e);
    } catch (AccessDeniedException e) {
      throw new BackupException("permission denied on " + e.getFile() + ": run as root (sudo)", e);
    } catch (IOException e) {
      throw new BackupException("cannot write the backup " + target + ": " + e, e);
    } finally {
      deleteQuietly(temporary);
      deleteQuietly(staging);
    }
  }

  /**
   * Unpacks {@code archive} into {@code target} (which must not exist; created 0700) and checks it: every member is
   * expected and matches the manifest's size and SHA-256, the database passes {@code PRAGMA integrity_check} and holds
   * the manifest's revision and objects, the CA certificate and key match. On any problem {@code target} is removed
   * and a {@link BackupException} says what is wrong.
   */
  public static Manifest extract(Path archive, Path target) throws BackupException {
    requireNonNull(archive, "archive is null");
    requireNonNull(target, "target is null");
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.createDirectory(target, PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_ONLY_DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      throw new BackupException(target + " exists already: remove it");
    } catch (IOException e) {
      throw new BackupException("cannot create " + target + ": " + e, e);
    }
    boolean ok = false;
    try {
      Manifest manifest = unpack(archive, target);
      StoreSnapshots.Summary summary;
      try {
        summary = StoreSnapshots.check(target.resolve(DATABASE));
      } catch (SQLException e) {
        throw new BackupException(archive + ": the database in the backup is damaged: " + e.getMessage(), e);
      }
      if (summary.revision() != manifest.revision() || summary.objects() != manifest.objects()) {
        throw new BackupException(archive + ": the database holds " + summary.objects() + " objects at revision "
            + summary.revision() + ", the manifest says " + manifest.objects() + " at " + manifest.revision());
      }
      try {
        Pki.checkCa(target.resolve(PKI));
      } catch (IOException e) {
        throw new BackupException(archive + ": the certificates in the backup are unusable: " + e.getMessage(), e);
      }
      ok = true;
      return manifest;
    } finally {
      if (!ok) {
        deleteQuietly(target);
      }
    }
  }

  private static Manifest unpack(Path archive, Path target) throws BackupException {
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
      Tar.Reader tar = new Tar.Reader(in);
      Tar.Entry first = tar.next();
      if (first == null || !first.name().equals(MANIFEST) || first.size() > MAX_MANIFEST_BYTES) {
        throw new BackupException(archive + " is not a minicluster backup (it does not start with " + MANIFEST
            + ")");
      }
      Manifest manifest = fromJson(archive, tar.content().readAllBytes());
      Map<String, FileInfo> expected = new LinkedHashMap<>();
      for (FileInfo file : manifest.files()) {
        expected.put(file.name(), file);
      }
      if (!expected.containsKey(DATABASE) || !expected.containsKey(PKI + "/" + Pki.CA_CERTIFICATE_FILE)
          || !expected.containsKey(PKI + "/" + Pki.CA_KEY_FILE)) {
        throw new BackupException(archive + " is incomplete: it must hold " + DATABASE + " and the CA");
      }
      Files.createDirectory(target.resolve(PKI), PosixFilePermissions.asFileAttribute(
          SecureFiles.OWNER_ONLY_DIRECTORY));
      for (Tar.Entry entry = tar.next(); entry != null; entry = tar.next()) {
        if (entry.directory()) {
          if (!entry.name().equals(PKI + "/")) {
            throw new BackupException(archive + ": unexpected directory " + entry.name());
          }
          continue;
        }
        FileInfo info = expected.remove(entry.name());
        boolean allowed = entry.name().equals(DATABASE) || entry.name().equals(KUBECONFIG)
            || PKI_MEMBER.matcher(entry.name()).matches();
        if (!allowed || info == null) {
          throw new BackupException(archive + ": unexpected member " + entry.name() + " (not in the manifest, or "
              + "twice)");
        }
        if (entry.size() != info.size()) {
          throw new BackupException(archive + ": " + entry.name() + " has " + entry.size() + " bytes, the manifest "
              + "says " + info.size());
        }
        Path file = target.resolve(entry.name());
        MessageDigest digest = sha256();
        try (InputStream content = new DigestInputStream(tar.content(), digest)) {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_READ_WRITE));
          try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            content.transferTo(out);
          }
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(info.sha256())) {
          throw new BackupException(archive + ": " + entry.name() + " does not match its checksum: the archive is "
              + "damaged");
        }
        if (entry.name().endsWith(".crt")) {
          Files.setPosixFilePermissions(file, SecureFiles.PUBLIC_READ);
        }
      }
      if (!expected.isEmpty()) {
        throw new BackupException(archive + " is incomplete: missing " + String.join(", ", expected.keySet()));
      }
      return manifest;
    } catch (NoSuchFileException e) {
      throw new BackupException(archive + ": no such file");
    } catch (ZipException e) {
      throw new BackupException(archive + " is not a minicluster backup (not gzip-compressed: " + e.getMessage()
          + ")", e);
    } catch (EOFException e) {
      throw new BackupException(archive + " is truncated: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BackupException(archive + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static ObjectNode toJson(Manifest manifest) {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", KIND);
    root.put("format", FORMAT);
    root.put("minicluster", manifest.version());
    root.put("created", manifest.created().toString());
    root.put("revision", manifest.revision());
    root.put("objects", manifest.objects());
    ArrayNode files = root.putArray("files");
    for (FileInfo file : manifest.files()) {
      files.addObject().put("name", file.name()).put("size", file.size()).put("sha256", file.sha256());
    }
    return root;
  }

  private static Manifest fromJson(Path archive, byte[] bytes) throws BackupException {
    try {
      JsonNode root = JSON.readTree(bytes);
      if (!KIND.equals(root.path("kind").asText()) || root.path("format").asInt() != FORMAT) {
        throw new BackupException(archive + " is not a minicluster backup of format " + FORMAT + " (kind "
            + root.path("kind").asText() + ", format " + root.path("format").asText() + ")");
      }
      List<FileInfo> files = new ArrayList<>();
      for (JsonNode file : root.path("files")) {
        files.add(new FileInfo(file.path("name").asText(), file.path("size").asLong(-1),
            file.path("sha256").asText()));
      }
      return new Manifest(root.path("minicluster").asText(), Instant.parse(root.path("created").asText()),
          root.path("revision").asLong(), root.path("objects").asLong(), files);
    } catch (IOException | DateTimeParseException e) {
      throw new BackupException(archive + ": unreadable manifest: " + e.getMessage(), e);
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String sha256(byte[] content) {
    return HexFormat.of().formatHex(sha256().digest(content));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a file or a directory tree; problems are ignored (best effort clean-up). */
  static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(each -> {
        try {
          Files.deleteIfExists(each);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
