package io.minicluster.service;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How to run minicluster again as a new process: this JVM's {@code java}, the JVM options, and this code ({@code -jar}
 * the jar it was loaded from, or the class path and main class when run from classes).
 */
public final class Launcher {
  /**
   * The daemon's JVM options but the heap size, as {@code minicluster bench pods} measured them: a small initial heap and
   * metaspace, the serial collector keeping at most 30% of the committed heap free (it gives the rest back after a full
   * collection; with 10,000 pods the default 70% kept about 100 MB more committed above a 128 MB live heap), C1 only,
   * Netty without pooled direct buffers, exit on OutOfMemoryError.
   * {@link #daemonJvmOptions} adds the maximum heap {@link HeapSize} chooses for the machine; {@code
   * MINICLUSTER_JAVA_OPTIONS} (space-separated) replaces them all.
   */
  public static final List<String> DAEMON_JVM_OPTIONS = List.of("-Xms16m", "-XX:+UseSerialGC", "-Xss512k",
      "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=48m", "-XX:TieredStopAtLevel=1", "-XX:MaxDirectMemorySize=32m",
      "-Dio.netty.allocator.type=unpooled", "-Dio.netty.noPreferDirect=true", "-XX:+ExitOnOutOfMemoryError",
      "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");
  /** The supervisor only waits on its child: the smallest JVM that runs it. */
  public static final List<String> SUPERVISOR_JVM_OPTIONS = List.of("-Xms4m", "-Xmx16m", "-XX:+UseSerialGC",
      "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=8m", "-XX:MaxMetaspaceSize=32m");
  public static final String JAVA_OPTIONS_VARIABLE = "MINICLUSTER_JAVA_OPTIONS";
  static final String MAIN_CLASS = "io.minicluster.cli.Main";

  private Launcher() {}

  /** This JVM's java executable. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The daemon's JVM options: {@value #JAVA_OPTIONS_VARIABLE} when set in {@code environment}, else the measured set
   * with the maximum heap for this machine ({@link HeapSize#option}).
   */
  public static List<String> daemonJvmOptions(Map<String, String> environment) {
    String configured = environment.get(JAVA_OPTIONS_VARIABLE);
    if (configured == null || configured.isBlank()) {
      List<String> options = new ArrayList<>(DAEMON_JVM_OPTIONS);
      options.add(1, HeapSize.option(environment));
      return List.copyOf(options);
    }
    return List.copyOf(Arrays.asList(configured.trim().split("\\s+")));
  }

  /** {@code java OPTIONS CODE ARGUMENTS...}: a command running minicluster with {@code arguments}. */
  public static List<String> command(List<String> jvmOptions, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.addAll(code());
    command.addAll(arguments);
    return command;
  }

  /** {@code -jar <jar>} when this class was loaded from a jar, else {@code -cp <class path> <main class>}. */
  static List<String> code() {
    try {
      Path source = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(source) && source.toString().endsWith(".jar")) {
        return List.of("-jar", source.toString());
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall through to the class path
    }
    return List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS);
  }
}
