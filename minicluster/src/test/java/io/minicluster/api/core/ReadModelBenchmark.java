package io.minicluster.api.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.sun.management.ThreadMXBean;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.minicluster.api.meta.ReadModelFixtures;
import io.minicluster.json.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures, for a realistic stored pod, what an informer pays per object for each way of holding it: time per decode
 * and heap retained per object. Not a test: a program that prints figures, run with the test classpath:
 *
 * <pre>
 * mvn -q -o -pl minicluster dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -Xms1g -Xmx1g -cp minicluster/target/classes:minicluster/target/test-classes:$(cat /tmp/cp.txt)[:FABRIC8] \
 *     io.minicluster.api.core.ReadModelBenchmark
 * </pre>
 *
 * <p>The ways: (a) the Jackson tree alone ({@code ObjectNode}, what informers hold today); (b) the read model records
 * decoded from that tree, both the decode alone (the tree is there anyway: the in-process watch delivers trees) and
 * bytes to records, retaining only the records; (c) Jackson databind into fabric8's model classes (a well-kept
 * Jackson model library), from bytes and from the tree, when {@code io.fabric8:kubernetes-model-core} is on the
 * classpath (it is no dependency of the project: append its and kubernetes-model-common's jars to run it); (d) the
 * official Java client's model ({@code V1Pod}, Gson). Retained bytes of (b') count only what the records add to the
 * tree: their strings are the tree's.
 */
public final class ReadModelBenchmark {
  private static final int RETAINED = 10_000;
  private static final int WARMUP = 10_000;
  private static final int ROUNDS = 5;
  private static final int PER_ROUND = 5_000;

  private interface Decoder {
    Object decode();
  }

  private record Way(String name, Decoder decoder) {}

  public static void main(String[] args) throws Exception {
    for (String fixture : new String[] {"core/pod.json", "core/pod-small.json"}) {
      run(fixture);
    }
  }

  private static void run(String fixture) throws Exception {
    ObjectNode tree = ReadModelFixtures.fixture(fixture);
    byte[] bytes = Json.bytes(tree);
    String text = new String(bytes, StandardCharsets.UTF_8);
    System.out.printf(Locale.ROOT, "%n%s: %d bytes of JSON%n", fixture, bytes.length);
    System.out.printf(Locale.ROOT, "%-48s %10s %10s %14s %14s%n", "way", "us/decode", "cpu us", "alloc B/dec",
        "retained B/obj");

    List<Way> ways = new ArrayList<>();
    ways.add(new Way("(a) Jackson tree (ObjectNode)", () -> Json.parseObject(bytes)));
    ways.add(new Way("(b) records from bytes (tree dropped)", () -> Pod.from(Json.parseObject(bytes))));
    ways.add(new Way("(b') records from the tree (decode only)", () -> Pod.from(tree)));
    Class<?> fabric8 = fabric8Pod();
    if (fabric8 != null) {
      ObjectMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
      ways.add(new Way("(c) fabric8 model, Jackson databind", () -> {
        try {
          return mapper.readValue(bytes, fabric8);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }));
      ways.add(new Way("(c') fabric8 model from the tree (treeToValue)", () -> {
        try {
          return mapper.treeToValue(tree, fabric8);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }));
    } else {
      System.out.println("(c) fabric8 model: not on the classpath, skipped");
    }
    Gson gson = new JSON().getGson();
    ways.add(new Way("(d) client-java V1Pod, Gson", () -> gson.fromJson(text, V1Pod.class)));

    for (Way way : ways) {
      double[] figures = timePerDecode(way.decoder());
      long retained = retainedPerObject(way.decoder());
      System.out.printf(Locale.ROOT, "%-48s %10.1f %10.1f %14d %14d%n", way.name(), figures[0], figures[1],
          (long) figures[2], retained);
    }
  }

  private static Class<?> fabric8Pod() {
    try {
      return Class.forName("io.fabric8.kubernetes.api.model.Pod");
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  /**
   * After a warm-up, the medians over rounds of one decode's wall time and of the decoding thread's CPU time (in
   * microseconds; CPU time holds up better on a busy machine, and leaves out the collector's threads), and the bytes
   * one decode allocates.
   */
  private static double[] timePerDecode(Decoder decoder) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    Object sink = null;
    for (int i = 0; i < WARMUP; i++) {
      sink = decoder.decode();
    }
    double[] wall = new double[ROUNDS];
    double[] cpu = new double[ROUNDS];
    double[] allocated = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      long start = System.nanoTime();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long allocatedStart = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < PER_ROUND; i++) {
        sink = decoder.decode();
      }
      allocated[round] = (threads.getThreadAllocatedBytes(thread) - allocatedStart) / (double) PER_ROUND;
      cpu[round] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1000.0 / PER_ROUND;
      wall[round] = (System.nanoTime() - start) / 1000.0 / PER_ROUND;
    }
    if (sink == null) {
      throw new IllegalStateException("nothing decoded");
    }
    return new double[] {median(wall), median(cpu), median(allocated)};
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Heap in use after a full collection with {@link #RETAINED} decoded objects held, less before, per object. */
  private static long retainedPerObject(Decoder decoder) throws InterruptedException {
    Object[] kept = new Object[RETAINED];
    long before = usedAfterGc();
    for (int i = 0; i < RETAINED; i++) {
      kept[i] = decoder.decode();
    }
    long after = usedAfterGc();
    long perObject = (after - before) / RETAINED;
    Reference.reachabilityFence(kept);
    return perObject;
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private ReadModelBenchmark() {}
}
