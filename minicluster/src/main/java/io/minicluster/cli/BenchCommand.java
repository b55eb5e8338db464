package io.minicluster.cli;

import io.minicluster.bench.ApiBench;
import io.minicluster.bench.PodsBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minicluster bench ...}: benchmarks that print figures next to a peer measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
    subcommands = {BenchCommand.Api.class, BenchCommand.Pods.class})
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "api", mixinStandardHelpOptions = true,
      description = "API create/get/list throughput and latency vs the raw durable SQLite insert rate.")
  static final class Api implements Callable<Integer> {
    @Option(names = "--dir", description = "Scratch directory on the disk to measure (default: a temp dir).")
    Path dir;

    @Option(names = "--pods", defaultValue = "10000", description = "Pods to create (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Override
    public Integer call() throws Exception {
      Path scratch = dir != null ? dir : Files.createTempDirectory("minicluster-bench");
      ApiBench.run(scratch, pods, clients);
      return 0;
    }
  }

  @Command(name = "pods", mixinStandardHelpOptions = true,
      description = {"Pod start latency (create -> Running seen through a watch) of the real daemon run as a child "
          + "process, next to bare Docker starts of the same sandbox + container in the same run, and the daemon's "
          + "RSS and CPU idle and with many pods. Needs Docker and the test images (build-images.sh)."})
  static final class Pods implements Callable<Integer> {
    @Option(names = "--pods", defaultValue = "50", description = "Pod starts to measure (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--warm-up", defaultValue = "2",
        description = "Unmeasured rounds first (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--loaded-pods", defaultValue = "100",
        description = "Pods running for the loaded RSS/CPU figures (default: ${DEFAULT-VALUE}).")
    int loadedPods;

    @Option(names = "--dir", description = "Scratch directory (default: a temp dir).")
    Path dir;

    @Option(names = "--pod-cidr", description = "Pod network (default: the subnet of the existing 'minicluster' "
        + "Docker network, else 10.244.0.0/16; the network is shared with other daemons on this engine).")
    String podCidr;

    @Option(names = "--jvm-option", description = "Daemon JVM option, repeatable; replaces the recommended set "
        + "(default: the recommended set, see PodsBench.RECOMMENDED_JVM_OPTIONS).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--nmt", description = "Run the daemon with Native Memory Tracking and print where memory goes.")
    boolean nativeMemoryTracking;

    @Option(names = "--keep", description = "Keep the daemon's data directory and log.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
      Path scratch = dir != null ? dir : Files.createTempDirectory("minicluster-bench-pods");
      List<String> options = jvmOptions.isEmpty() ? PodsBench.RECOMMENDED_JVM_OPTIONS : jvmOptions;
      boolean met = PodsBench.run(new PodsBench.Options(scratch, pods, warmUp, Math.max(loadedPods, pods + warmUp),
          podCidr, options, nativeMemoryTracking, keep), System.out);
      if (dir == null && !keep) {
        Files.deleteIfExists(scratch);
      }
      return met ? 0 : 1;
    }
  }
}
