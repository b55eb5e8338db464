package io.minicluster.cli;

import io.minicluster.bench.ApiBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minicluster bench ...}: benchmarks that print figures next to a peer measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
    subcommands = {BenchCommand.Api.class})
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
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
}
