package io.minicluster.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.pki.Pki;
import io.minicluster.store.SqliteStore;
import io.minicluster.store.StoreSnapshots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupArchiveTest {
  @TempDir
  Path temporary;

  private Path dataDir() throws Exception {
    Path data = temporary.resolve("data");
    try (SqliteStore store = SqliteStore.open(data, SqliteStore.Options.defaults())) {
      store.create("/registry/configmaps/default/a", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
      store.create("/registry/configmaps/default/b", "{\"b\":2}".getBytes(StandardCharsets.UTF_8));
      store.delete("/registry/configmaps/default/a", store.get("/registry/configmaps/default/a").orElseThrow()
          .revision());
    }
    Pki pki = Pki.loadOrCreate(data, List.of(), List.of());
    pki.writeAdminKubeconfig(data.resolve("kubeconfig.yaml"), "https://127.0.0.1:6443");
    return data;
  }

  @Test
  void aBackupHoldsTheStoreThePkiAndTheKubeconfigAndExtractsToTheSame() throws Exception {
    Path data = dataDir();
    Path archive = temporary.resolve("backups/cluster.tar.gz");

    BackupArchive.Manifest manifest = BackupArchive.create(data, archive, "1.2.3");

    assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(manifest.objects()).isEqualTo(1);
    assertThat(manifest.revision()).isEqualTo(3);
    assertThat(manifest.files()).extracting(BackupArchive.FileInfo::name).containsExactly("state.db", "pki/admin.crt",
        "pki/admin.key", "pki/admin.token", "pki/ca.crt", "pki/ca.key", "pki/server.crt", "pki/server.key",
        "kubeconfig.yaml");
    assertThat(memberNames(archive)).containsExactly("minicluster-backup.json", "state.db", "pki/", "pki/admin.crt",
        "pki/admin.key", "pki/admin.token", "pki/ca.crt", "pki/ca.key", "pki/server.crt", "pki/server.key",
        "kubeconfig.yaml");
    assertThat(temporary.resolve("backups")).isDirectoryContaining(path -> path.equals(archive))
        .satisfies(directory -> assertThat(Files.list(directory).count()).isEqualTo(1));

    Path restored = temporary.resolve("restored");
    BackupArchive.Manifest read = BackupArchive.extract(archive, restored);

    assertThat(read).isEqualTo(manifest);
    assertThat(Files.getPosixFilePermissions(restored)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    for (String name : List.of("pki/ca.key", "pki/ca.crt", "pki/admin.token", "kubeconfig.yaml")) {
      assertThat(Files.readAllBytes(restored.resolve(name))).as(name).isEqualTo(Files.readAllBytes(data.resolve(name)));
    }
    assertThat(Files.getPosixFilePermissions(restored.resolve("pki/ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (SqliteStore store = SqliteStore.open(restored, SqliteStore.Options.defaults())) {
      assertThat(store.get("/registry/configmaps/default/b")).isPresent();
      assertThat(store.get("/registry/configmaps/default/a")).isEmpty();
      assertThat(store.revision()).isEqualTo(3);
    }
  }

  @Test
  void aBackupIsTakenWhileTheStoreIsOpenAndWriting() throws Exception {
    Path data = temporary.resolve("data");
    Pki.loadOrCreate(data, List.of(), List.of());
    try (SqliteStore store = SqliteStore.open(data, SqliteStore.Options.defaults())) {
      for (int i = 0; i < 50; i++) {
        store.create("/registry/configmaps/default/c" + i, new byte[] {'{', '}'});
      }
      Thread writer = new Thread(() -> {
        for (int i = 50; i < 300; i++) {
          store.create("/registry/configmaps/default/c" + i, new byte[] {'{', '}'});
        }
      });
      writer.start();
      BackupArchive.Manifest manifest = BackupArchive.create(data, temporary.resolve("live.tar.gz"), "1");
      writer.join();
      assertThat(manifest.objects()).isBetween(50L, 300L);
      // the copy is one committed state: as many objects as revisions (only creates happened)
      assertThat(manifest.revision()).isEqualTo(manifest.objects());
    }
    Path restored = temporary.resolve("restored");
    BackupArchive.extract(temporary.resolve("live.tar.gz"), restored);
    assertThat(StoreSnapshots.check(restored.resolve("state.db")).objects()).isBetween(50L, 300L);
  }

  @Test
  void aDataDirectoryWithoutStateIsRefused() {
    assertThatThrownBy(() -> BackupArchive.create(temporary.resolve("empty"), temporary.resolve("x.tar.gz"), "1"))
        .isInstanceOf(BackupException.class)
        .hasMessageStartingWith("no minicluster state in " + temporary.resolve("empty"));
    assertThat(temporary.resolve("x.tar.gz")).doesNotExist();
  }

  @Test
  void damagedArchivesAreRefusedAndLeaveNothingBehind() throws Exception {
    Path data = dataDir();
    Path archive = temporary.resolve("good.tar.gz");
    BackupArchive.create(data, archive, "1");
    byte[] good = Files.readAllBytes(archive);

    Path notGzip = temporary.resolve("plain.tar.gz");
    Files.writeString(notGzip, "hello");
    assertRefused(notGzip, "is not a minicluster backup (not gzip-compressed");

    Path truncated = temporary.resolve("truncated.tar.gz");
    Files.write(truncated, Arrays.copyOf(good, good.length / 2));
    assertRefused(truncated, "");

    // one changed byte inside state.db, recompressed: the checksum catches it
    byte[] tar = gunzip(good);
    int offset = indexOf(tar, "SQLite format 3".getBytes(StandardCharsets.US_ASCII)) + 200;
    tar[offset] ^= 0x55;
    Path tampered = temporary.resolve("tampered.tar.gz");
    Files.write(tampered, gzip(tar));
    assertRefused(tampered, "state.db does not match its checksum: the archive is damaged");

    assertRefused(temporary.resolve("absent.tar.gz"), "no such file");
  }

  @Test
  void membersOutsideTheLayoutAreRefused() throws Exception {
    Path evil = temporary.resolve("evil.tar.gz");
    byte[] payload = "x".getBytes(StandardCharsets.US_ASCII);
    String manifest = manifestJson(List.of(new String[] {"../escape", sha(payload), "1"},
        new String[] {"state.db", sha(payload), "1"}, new String[] {"pki/ca.crt", sha(payload), "1"},
        new String[] {"pki/ca.key", sha(payload), "1"}));
    writeArchive(evil, List.of(new Object[] {"minicluster-backup.json", manifest.getBytes(StandardCharsets.UTF_8)},
        new Object[] {"../escape", payload}));
    assertRefused(evil, "unexpected member ../escape");
    assertThat(temporary.resolve("escape")).doesNotExist();
  }

  @Test
  void aDatabaseThatFailsItsIntegrityCheckIsRefused() throws Exception {
    Path data = dataDir();
    byte[] database = Files.readAllBytes(data.resolve("state.db"));
    // damage the second page (a b-tree page) but keep the header: SQLite opens it and the check fails
    for (int i = 4096 + 8; i < 4096 + 64; i++) {
      database[i] = (byte) 0xff;
    }
    byte[] ca = Files.readAllBytes(data.resolve("pki/ca.crt"));
    byte[] key = Files.readAllBytes(data.resolve("pki/ca.key"));
    String manifest = manifestJson(List.of(new String[] {"state.db", sha(database), "" + database.length},
        new String[] {"pki/ca.crt", sha(ca), "" + ca.length}, new String[] {"pki/ca.key", sha(key), "" + key.length}));
    Path archive = temporary.resolve("corrupt.tar.gz");
    writeArchive(archive, List.of(new Object[] {"minicluster-backup.json", manifest.getBytes(StandardCharsets.UTF_8)},
        new Object[] {"state.db", database}, new Object[] {"pki/ca.crt", ca}, new Object[] {"pki/ca.key", key}));
    assertRefused(archive, "the database in the backup is damaged");
  }

  @Test
  void aRestoredStoreContinuesPastTheReplacedRevisionWithOlderRevisionsCompacted() throws Exception {
    Path data = dataDir();
    long restoredRevision = StoreSnapshots.markRestored(data.resolve("state.db"), 500);
    assertThat(restoredRevision).isEqualTo(501);
    try (SqliteStore store = SqliteStore.open(data, SqliteStore.Options.defaults())) {
      assertThat(store.revision()).isEqualTo(501);
      assertThat(store.compactedRevision()).isEqualTo(501);
      assertThat(store.get("/registry/configmaps/default/b")).isPresent();
      assertThat(store.create("/registry/configmaps/default/d", new byte[] {'{', '}'}).revision()).isEqualTo(502);
    }
  }

  private void assertRefused(Path archive, String message) {
    Path target = temporary.resolve("target-" + archive.getFileName());
    assertThatThrownBy(() -> BackupArchive.extract(archive, target))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining(message);
    assertThat(target).doesNotExist();
  }

  private static List<String> memberNames(Path archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      Tar.Reader reader = new Tar.Reader(in);
      for (Tar.Entry entry = reader.next(); entry != null; entry = reader.next()) {
        names.add(entry.name());
      }
    }
    return names;
  }

  private static String manifestJson(List<String[]> files) {
    StringBuilder json = new StringBuilder("{\"kind\":\"MiniclusterBackup\",\"format\":1,\"minicluster\":\"1\","
        + "\"created\":\"2026-01-01T00:00:00Z\",\"revision\":1,\"objects\":1,\"files\":[");
    for (int i = 0; i < files.size(); i++) {
      String[] file = files.get(i);
      json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(file[0]).append("\",\"sha256\":\"")
          .append(file[1]).append("\",\"size\":").append(file[2]).append('}');
    }
    return json.append("]}").toString();
  }

  private static void writeArchive(Path archive, List<Object[]> members) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    Tar.Writer writer = new Tar.Writer(tar);
    for (Object[] member : members) {
      byte[] content = (byte[]) member[1];
      writer.file((String) member[0], 0600, content.length, new ByteArrayInputStream(content), Instant.EPOCH);
    }
    writer.finish();
    Files.write(archive, gzip(tar.toByteArray()));
  }

  private static String sha(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
