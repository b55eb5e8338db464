package io.minicluster.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh Debian 12 root filesystem as a Docker image: {@code debootstrap --variant=minbase} from the Debian mirror
 * the test machine uses, with systemd (PID 1 when the container runs {@code /lib/systemd/systemd}), dbus, iproute2,
 * ca-certificates and curl (the installer's one line starts with curl), then {@code docker import}. The image is
 * tagged with a hash of this recipe and the mirror, so it is built once (about a minute) and reused until either
 * changes. Needs root and the debootstrap package.
 */
final class DebianImage {
  static final String SUITE = "bookworm";
  static final String REPOSITORY = "minicluster-it/debian";
  /** Changing anything about the image: bump this, and the hash makes a new tag. */
  private static final String RECIPE = "1: minbase + systemd,systemd-sysv,dbus,iproute2,ca-certificates,curl; "
      + "sources bookworm, bookworm-updates, bookworm-security; apt caches and lists emptied";
  private static final String PACKAGES = "systemd,systemd-sysv,dbus,iproute2,ca-certificates,curl";

  private DebianImage() {}

  /** The image's name, built first when missing. */
  static String ensure(Path workDirectory) throws Exception {
    String mirror = mirror("/debian");
    String securityMirror = mirror("/debian-security");
    String name = REPOSITORY + ":12-" + hash(RECIPE + " " + mirror + " " + securityMirror);
    if (Host.docker(60, "image", "inspect", name).exitCode() == 0) {
      return name;
    }
    Host.run(30, "debootstrap", "--version").assertOk("debootstrap --version (apt-get install debootstrap)");
    Path root = workDirectory.resolve("debian-rootfs");
    Host.run(120, "rm", "-rf", root.toString()).assertOk("removing an old root filesystem");
    Host.run(900, "debootstrap", "--variant=minbase", "--include=" + PACKAGES, SUITE, root.toString(), mirror)
        .assertOk("debootstrap of Debian " + SUITE + " from " + mirror);
    Files.deleteIfExists(root.resolve("etc/apt/sources.list"));
    Files.writeString(root.resolve("etc/apt/sources.list.d/debian.sources"), """
        Types: deb
        URIs: %s
        Suites: bookworm bookworm-updates
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: %s
        Suites: bookworm-security
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """.formatted(mirror, securityMirror));
    // a fresh system: no downloaded packages, no package lists (apt-get update is the installer's business)
    Host.run(120, "sh", "-c", "rm -rf '" + root + "'/var/cache/apt/archives/*.deb '" + root + "'/var/lib/apt/lists/*")
        .assertOk("emptying apt's caches");
    Host.run(600, "sh", "-c", "tar -C '" + root + "' -c . | docker import -c 'CMD [\"/lib/systemd/systemd\"]' - "
        + name).assertOk("docker import of the root filesystem");
    Host.run(300, "rm", "-rf", root.toString()).assertOk("removing the root filesystem");
    return name;
  }

  /** The URI of the test machine's Debian mirror for {@code path} (/debian, /debian-security). */
  static String mirror(String path) throws IOException {
    Pattern uri = Pattern.compile("(https?://[^\\s]+" + Pattern.quote(path) + ")/?(\\s|$)");
    for (String file : List.of("/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list")) {
      Path sources = Paths.get(file);
      if (Files.isReadable(sources)) {
        for (String line : Files.readAllLines(sources)) {
          if (line.startsWith("#")) {
            continue;
          }
          Matcher matcher = uri.matcher(line);
          if (matcher.find()) {
            return matcher.group(1);
          }
        }
      }
    }
    return "http://deb.debian.org" + path;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
