package io.minicluster.packaging;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Debian system in a Docker container, with its own Docker engine inside (Docker-in-Docker: /var/lib/docker on a
 * volume of its own): booted with systemd as PID 1, or plain (docker's init and a sleep, as in containers and CI where
 * systemd does not run). {@code docker run --privileged} fails on the test machines (the capability bounding set lacks
 * CAP_SYS_RESOURCE), so every other capability, all devices and the host's cgroup tree are given instead. Downloaded
 * Debian packages are kept in a volume shared by all runs (apt still installs every package from nothing).
 */
final class DebianSystem implements AutoCloseable {
  static final String APT_ARCHIVES_VOLUME = "minicluster-it-apt-archives";

  private final String name;
  private final boolean systemd;

  private DebianSystem(String name, boolean systemd) {
    this.name = name;
    this.systemd = systemd;
  }

  /** Starts the container {@code name} (a leftover of that name is removed first) and waits until it is up. */
  static DebianSystem boot(String image, String name, boolean systemd) throws Exception {
    requireNonNull(image, "image is null");
    requireNonNull(name, "name is null");
    DebianSystem system = new DebianSystem(name, systemd);
    system.remove();
    List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name, "--hostname", name,
        "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE", "--security-opt", "seccomp=unconfined",
        "--security-opt", "apparmor=unconfined", "--device-cgroup-rule", "a *:* rwm",
        "--tmpfs", "/run", "--tmpfs", "/run/lock", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
        "-v", system.engineVolume() + ":/var/lib/docker", "-v", APT_ARCHIVES_VOLUME + ":/var/cache/apt/archives",
        image));
    if (systemd) {
      run.add("/lib/systemd/systemd");
    } else {
      // docker's init as PID 1 reaps orphans, as an init does (a bare sleep would leave zombies that look alive)
      run.add(run.indexOf(image), "--init");
      run.addAll(List.of("sleep", "infinity"));
    }
    Host.docker(120, run.toArray(String[]::new)).assertOk("starting the system container " + name);
    system.waitBooted();
    return system;
  }

  String name() {
    return name;
  }

  private String engineVolume() {
    return name + "-docker";
  }

  private void waitBooted() throws Exception {
    if (!systemd) {
      Host.waitUntil(name + " runs", Duration.ofSeconds(30), () -> sh(10, "true").exitCode() == 0);
      return;
    }
    Host.waitUntil(name + " booted (systemctl is-system-running)", Duration.ofSeconds(90), () -> {
      String state = sh(15, "systemctl is-system-running || true").stdout().trim();
      if (state.equals("degraded")) {
        throw new AssertionError("the system booted degraded: " + sh(15, "systemctl --failed --no-legend").output());
      }
      return state.equals("running");
    });
  }

  /** Runs a shell script inside, as root. */
  Host.Result sh(long timeoutSeconds, String script) throws Exception {
    return Host.docker(timeoutSeconds, "exec", name, "sh", "-c", script);
  }

  /** Runs a shell script inside and fails unless it succeeds; returns its stdout. */
  String shOk(long timeoutSeconds, String script) throws Exception {
    return sh(timeoutSeconds, script).assertOk("in " + name + ": " + script).stdout();
  }

  /** Copies a host file or directory into a directory inside. */
  void copyIn(Path source, String directory) throws Exception {
    shOk(30, "mkdir -p '" + directory + "'");
    Host.docker(300, "cp", source.toString(), name + ":" + directory).assertOk("docker cp " + source);
  }

  /** Loads host images into the engine inside (docker save | docker exec -i ... docker load). */
  void loadImages(List<String> images) throws Exception {
    Host.run(300, "sh", "-c", "docker save " + String.join(" ", images) + " | docker exec -i " + name
        + " docker load").assertOk("loading " + images + " into " + name);
  }

  /** A restart of the whole system: the container stops (systemd shuts down) and boots again. */
  void restart() throws Exception {
    Host.docker(180, "restart", "-t", "60", name).assertOk("docker restart " + name);
    waitBooted();
  }

  private void remove() throws Exception {
    Host.docker(120, "rm", "-f", "-v", name);
    Host.docker(120, "volume", "rm", "-f", engineVolume());
  }

  @Override
  public void close() throws Exception {
    remove();
  }
}
