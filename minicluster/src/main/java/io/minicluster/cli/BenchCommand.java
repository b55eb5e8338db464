package io.minicluster.cli;

import io.minicluster.bench.ApiBench;
import io.minicluster.bench.PodsBench;
import io.minicluster.bench.ServicesBench;
import io.minicluster.bench.WorkloadsBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minicluster bench ...}: benchmarks that print figures next to a peer measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
    subcommands = {BenchCommand.Api.class, BenchCommand.Pods.class, BenchCommand.Workloads.class,
        BenchCommand.Services.class})
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

  @Command(name = "workloads", mixinStandardHelpOptions = true,
      description = {"A Deployment to fully available and its rolling update, and a Job of many completions, on the "
          + "real daemon run as a child process, next to single pod starts in the same daemon. Needs Docker and the "
          + "test images (build-images.sh)."})
  static final class Workloads implements Callable<Integer> {
    @Option(names = "--pods", defaultValue = "10", description = "Single pod starts (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--replicas", defaultValue = "50", description = "Deployment replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--completions", defaultValue = "100",
        description = "Job completions (default: ${DEFAULT-VALUE}).")
    int completions;

    @Option(names = "--parallelism", defaultValue = "10", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds each phase may take (default: "
        + "${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--dir", description = "Scratch directory (default: a temp dir).")
    Path dir;

    @Option(names = "--pod-cidr", description = "Pod network (default: as bench pods).")
    String podCidr;

    @Override
    public Integer call() throws Exception {
      Path scratch = dir != null ? dir : Files.createTempDirectory("minicluster-bench-workloads");
      WorkloadsBench.run(new WorkloadsBench.Options(scratch, pods, replicas, completions, parallelism,
          Duration.ofSeconds(timeoutSeconds), PodsBench.RECOMMENDED_JVM_OPTIONS, podCidr), System.out);
      return 0;
    }
  }

  @Command(name = "services", mixinStandardHelpOptions = true,
      description = {"HTTP requests/s to a ClusterIP next to the same requests to the pod IPs directly, and service "
          + "created -> answering by ClusterIP and by name, on the real daemon run as a child process (as root: its "
          + "service proxy writes iptables rules, removed at the end). Needs Docker and the test images."})
  static final class Services implements Callable<Integer> {
    @Option(names = "--backends", defaultValue = "3", description = "httpd pods (default: ${DEFAULT-VALUE}).")
    int backends;

    @Option(names = "--clients", defaultValue = "4", description = "Concurrent HTTP clients (default: "
        + "${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", defaultValue = "5", description = "Seconds per round (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--services", defaultValue = "100", description = "Services created and timed (default: "
        + "${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--dir", description = "Scratch directory (default: a temp dir).")
    Path dir;

    @Option(names = "--pod-cidr", description = "Pod network (default: as bench pods).")
    String podCidr;

    @Override
    public Integer call() throws Exception {
      Path scratch = dir != null ? dir : Files.createTempDirectory("minicluster-bench-services");
      ServicesBench.run(new ServicesBench.Options(scratch, backends, clients, Duration.ofSeconds(seconds), rounds,
          services, Duration.ofSeconds(120), PodsBench.RECOMMENDED_JVM_OPTIONS, podCidr), System.out);
      return 0;
    }
  }
}
